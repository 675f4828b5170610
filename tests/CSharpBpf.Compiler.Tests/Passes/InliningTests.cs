using System.Linq;
using CSharpBpf.Compiler.Ir;
using CSharpBpf.Compiler.Passes;
using Xunit;

namespace CSharpBpf.Compiler.Tests.Passes;

public class InliningTests
{
    private static (IrModule m, IrFunction prog, IrFunction callee) Build(InlineHint hint, FunctionKind kind = FunctionKind.Subprogram)
    {
        var m = new IrModule("t");
        var callee = m.AddFunction("twice", kind, IntType.Long);
        callee.Inline = hint;
        var x = callee.AddParam("x", IntType.Long).Reg;
        var cb = new FunctionBuilder(callee).At("c.cs", 10, 5);
        var slot = callee.NewSlot(8, 8, "tmp");
        var addr = cb.FrameAddr(slot);
        cb.Store(8, addr, 0, x);
        var y = cb.Load(8, addr);
        cb.Return(cb.Binary(BinOp.Add, y, x));

        var prog = m.AddProgram("p", "xdp", IntType.Long);
        var a = prog.AddParam("a", IntType.Long).Reg;
        var pb = new FunctionBuilder(prog).At("p.cs", 1, 1);
        var r = pb.Call(callee, a)!;
        pb.Return(pb.Call(callee, r)!);
        return (m, prog, callee);
    }

    [Fact]
    public void SmallStaticCallee_IsInlined_WithOwnFrameSlots_AndRemoved()
    {
        var (m, prog, callee) = Build(InlineHint.Default);
        Assert.True(new Inlining(24).Run(m));
        IrValidator.Validate(m);
        Assert.DoesNotContain(prog.AllInstructions, i => i is CallInst);
        Assert.Equal(2, prog.FrameSlots.Count);
        Assert.DoesNotContain(callee, m.Functions);
        // The inlined code keeps the callee's source locations (line_info points into the callee).
        Assert.Contains(prog.AllInstructions, i => i.Location.File == "c.cs" && i.Location.Line == 10);
    }

    [Theory]
    [InlineData(InlineHint.Never, FunctionKind.Subprogram)]
    [InlineData(InlineHint.Default, FunctionKind.Global)]
    public void NeverHintAndGlobalFunctions_StayCalls(InlineHint hint, FunctionKind kind)
    {
        var (m, prog, callee) = Build(hint, kind);
        Assert.False(new Inlining(24).Run(m));
        Assert.Equal(2, prog.AllInstructions.Count(i => i is CallInst));
        Assert.Contains(callee, m.Functions);
    }
}
