using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Compiler.Ir;
using CSharpBpf.Compiler.Passes;

namespace CSharpBpf.Compiler.Backend;

/// <summary>
/// IR module → machine code per function: validate, optimize (<see cref="PassPipeline"/>),
/// lower what eBPF has no instruction for, select instructions, allocate registers, emit slots.
/// </summary>
public static class BpfBackend
{
    public static IReadOnlyList<CompiledFunction> Compile(IrModule module, TargetOptions? options = null)
    {
        options ??= TargetOptions.Default;
        IrValidator.Validate(module);
        if (options.Optimize) PassPipeline.Optimize(module, options);
        var result = new List<CompiledFunction>();
        foreach (var f in module.Definitions.ToList())
        {
            PassPipeline.LowerForSelection(f, options);
            IrValidator.Validate(f);
            result.Add(CompileLowered(f, options));
        }
        return result;
    }

    /// <summary>Selection, allocation and emission of one function already lowered for selection.</summary>
    public static CompiledFunction CompileLowered(IrFunction f, TargetOptions options)
    {
        var mf = InstructionSelector.Select(f, options);
        LinearScanAllocator.Allocate(mf);
        return CodeEmitter.Emit(mf);
    }
}
