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

    [Fact]
    public void CalleeCallingHelpers_IsInlinedOnlyWhenCalledOnce()
    {
        IrModule Build(int sites, out IrFunction callee)
        {
            var m = new IrModule("t");
            var c = m.AddFunction("count", FunctionKind.Subprogram, IntType.Int);
            var verdict = c.AddParam("verdict", IntType.Int).Reg;
            var helper = m.Helper("bpf_ktime_get_ns", 5, IntType.ULong);
            var cb = new FunctionBuilder(c);
            for (int k = 0; k < 4; k++) cb.Call(helper); // 10 IR instructions: above the tiny limit
            var t = cb.Binary(BinOp.Add, verdict, 1);
            var u = cb.Binary(BinOp.Xor, t, 3);
            var v = cb.Binary(BinOp.Mul, u, 5);
            var w = cb.Binary(BinOp.Sub, v, 2);
            var x = cb.Binary(BinOp.And, w, 7);
            cb.Return(x);
            var p = m.AddProgram("p", "xdp", IntType.Int);
            var pb = new FunctionBuilder(p);
            Operand acc = 0L;
            for (int k = 0; k < sites; k++) acc = pb.Call(c, acc)!;
            pb.Return(acc);
            callee = c;
            return m;
        }

        var once = Build(1, out var c1);
        Assert.True(new Inlining(24).Run(once));
        Assert.DoesNotContain(c1, once.Functions);

        var many = Build(3, out var c3);
        Assert.False(new Inlining(24).Run(many));
        Assert.Contains(c3, many.Functions);
    }

    [Fact]
    public void CalleeCallingHelpers_CalledOnceByEachOfSeveralPrograms_IsInlinedIntoEach()
    {
        var m = new IrModule("t");
        var c = m.AddFunction("count", FunctionKind.Subprogram, VoidType.Instance);
        var helper = m.Helper("bpf_ktime_get_ns", 5, IntType.ULong);
        var cb = new FunctionBuilder(c);
        for (int k = 0; k < 10; k++) cb.Call(helper);
        cb.Return();
        var progs = new IrFunction[3];
        for (int k = 0; k < progs.Length; k++)
        {
            progs[k] = m.AddProgram("p" + k, "xdp", IntType.Int);
            var pb = new FunctionBuilder(progs[k]);
            pb.Call(c);
            pb.Return(2L);
        }
        Assert.True(new Inlining(24).Run(m));
        Assert.DoesNotContain(c, m.Functions);
        Assert.All(progs, p => Assert.Equal(10, p.AllInstructions.Count(i => i is CallInst)));
    }
}
