using System;
using System.Collections.Generic;
using CSharpBpf.Compiler.Backend;
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
/// Hands a lowered module to the backend. Code generation (BpfBackend.Compile) runs here so backend
/// errors surface as diagnostics at their C# span; the ELF writer is the backend's
/// (see INTERFACES.md COMPILER/frontend for the entry point this calls).
/// </summary>
public static class ObjectEmission
{
    /// <summary>Set by the backend's object writer when it lands: module + compiled functions → ELF bytes.</summary>
    public static Func<IrModule, IReadOnlyList<CompiledFunction>, byte[]>? Writer { get; set; }

    public static EmittedObject Emit(IrModule module, TargetOptions options)
    {
        var compiled = BpfBackend.Compile(module, options);
        var counts = new Dictionary<string, int>();
        foreach (var f in compiled) counts[f.Name] = f.Code.Length;
        var bytes = Writer is { } w ? w(module, compiled) : Array.Empty<byte>();
        return new EmittedObject(bytes, counts);
    }
}
