using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Compiler.Backend;
using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Passes;

/// <summary>
/// The order the passes run in: per function the scalar cleanups repeated to a fixed point (each can
/// expose work for the others) and full unrolling of small constant-trip loops (which needs the loops
/// rotated and their entry constants propagated first); inlining over the module, the same again; then
/// the lowerings instruction selection relies on, then one more cleanup round.
/// </summary>
public static class PassPipeline
{
    private const int MaxRounds = 16;

    public static IFunctionPass[] ScalarPasses() => new IFunctionPass[]
    {
        new ConstantFolding(),
        new ByteSwapRecognition(),
        new LocalValueNumbering(),
        new CopyPropagation(),
        new AddressFolding(),
        new BranchFusion(),
        new DeadCodeElimination(),
        new Speculation(),
        new CfgSimplification(),
    };

    public static void Optimize(IrModule module, TargetOptions options)
    {
        var unroll = new LoopUnrolling(options.UnrollBudget);
        foreach (var f in module.Definitions)
        {
            RunToFixedPoint(f, ScalarPasses());
            if (unroll.Run(f)) RunToFixedPoint(f, ScalarPasses());
        }
        if (new Inlining(options.InlineThreshold).Run(module))
            foreach (var f in module.Definitions)
            {
                RunToFixedPoint(f, ScalarPasses());
                if (unroll.Run(f)) RunToFixedPoint(f, ScalarPasses()); // loops of inlined callees
            }
        foreach (var f in module.Definitions)
            if (new ReturnMerging().Run(f)) RunToFixedPoint(f, ScalarPasses());
    }

    public static void LowerForSelection(IrFunction f, TargetOptions options)
    {
        bool changed = false;
        if (!options.UseV4) changed |= new SignedDivisionLowering().Run(f);
        if (options.Optimize && changed) RunToFixedPoint(f, ScalarPasses());
        new CompareLowering().Run(f);
        if (options.Optimize) RunToFixedPoint(f, new IFunctionPass[] { new CopyPropagation(), new DeadCodeElimination() });
    }

    public static void RunToFixedPoint(IrFunction f, IReadOnlyList<IFunctionPass> passes)
    {
        for (int round = 0; round < MaxRounds; round++)
        {
            bool changed = false;
            foreach (var p in passes) changed |= p.Run(f);
            if (!changed) return;
        }
    }
}
