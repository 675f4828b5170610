using System.Collections.Generic;
using CSharpBpf.Compiler.Backend;
using CSharpBpf.Compiler.Emit;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Frontend;

/// <summary>The object bytes of a module and per-function instruction counts (for the skeleton and benchmarks).</summary>
public sealed class EmittedObject
{
    public EmittedObject(byte[] obj, Dictionary<string, int> counts)
    {
        Object = obj;
        InstructionCounts = counts;
    }

    public byte[] Object { get; }
    public Dictionary<string, int> InstructionCounts { get; }
}

/// <summary>
/// Hands a lowered module to the backend: code generation (BpfBackend.Compile), then the ELF writer
/// (ObjectWriter). Backend errors surface as BackendException, which the caller reports at the C# span.
/// </summary>
public static class ObjectEmission
{
    public static EmittedObject Emit(IrModule module, TargetOptions options)
    {
        var compiled = BpfBackend.Compile(module, options);
        var counts = new Dictionary<string, int>();
        foreach (var f in compiled) counts[f.Name] = f.Code.Length;
        var bytes = ObjectWriter.Write(module, compiled);
        return new EmittedObject(bytes, counts);
    }
}
