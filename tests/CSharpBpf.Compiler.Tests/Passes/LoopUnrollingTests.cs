using System.Linq;
using CSharpBpf.Compiler.Backend;
using CSharpBpf.Compiler.Ir;
using CSharpBpf.Compiler.Passes;
using CSharpBpf.Compiler.Tests.Frontend;
using CSharpBpf.Vm;
using CSharpBpf.Vm.Host;
using Xunit;
using static CSharpBpf.Compiler.Tests.Passes.PassTestKit;

namespace CSharpBpf.Compiler.Tests.Passes;

/// <summary>
/// Full unrolling of straight-line constant-trip loops: the shape, the trip count (including
/// inverted conditions and counting down), the budget, and loops it must leave alone. The
/// differential constructs (native vs VM vs kernel) check that unrolled programs compute the same.
/// </summary>
public class LoopUnrollingTests
{
    /// <summary>sum = 0; i = start; do { sum += a; i += step; } while (i cond bound) — rotated, as the frontend leaves it.</summary>
    private static (IrFunction f, BasicBlock loop) Loop(long start, long step, CmpOp cond, long bound, bool continueWhenTrue = true, bool sumStartsKnown = true)
    {
        var (_, f, b, a, _) = Function();
        var sum = b.Reg(Width.W64, "sum");
        var i = b.Reg(Width.W32, "i");
        if (sumStartsKnown) b.Move(sum, 0L); else b.Move(sum, a);
        b.Move(i, start);
        var loop = b.NewBlock("loop");
        var exit = b.NewBlock("exit");
        b.Jump(loop);
        b.SetBlock(loop);
        b.BinaryInto(sum, BinOp.Add, sum, a);
        b.BinaryInto(i, BinOp.Add, i, step);
        if (continueWhenTrue) b.Branch(cond, i, bound, loop, exit, Width.W32);
        else b.Branch(cond, i, bound, exit, loop, Width.W32);
        b.SetBlock(exit);
        b.Return(sum);
        return (f, loop);
    }

    private static int Adds(BasicBlock b) => b.Instructions.OfType<BinaryInst>().Count(x => x.Op == BinOp.Add && x.Dst.Name == "sum");

    [Theory]
    [InlineData(0, 1, CmpOp.Slt, 10, true, 10)]      // for (i = 0; i < 10; i++)
    [InlineData(0, 3, CmpOp.Slt, 10, true, 4)]       // i += 3: 0, 3, 6, 9
    [InlineData(10, -1, CmpOp.Sgt, 0, true, 10)]     // counting down
    [InlineData(0, 1, CmpOp.Sge, 7, false, 7)]       // exit when i >= 7 (the branch's true side leaves)
    [InlineData(0, 1, CmpOp.Ne, 5, true, 5)]
    [InlineData(5, 1, CmpOp.Slt, 3, true, 1)]        // rotated: the body runs once before the test
    public void Trip_count_is_simulated(long start, long step, CmpOp cond, long bound, bool continueWhenTrue, int trips)
    {
        var (f, loop) = Loop(start, step, cond, bound, continueWhenTrue);
        Assert.True(new LoopUnrolling(96).Run(f));
        IrValidator.Validate(f);
        Assert.IsType<JumpInst>(loop.Terminator);
        Assert.Equal(trips, Adds(loop));
    }

    [Fact]
    public void Over_budget_or_too_many_trips_is_left_alone()
    {
        var (f, loop) = Loop(0, 1, CmpOp.Slt, 10);
        Assert.False(new LoopUnrolling(19).Run(f));       // 10 trips × 2 instructions = 20 > 19
        Assert.IsType<BranchInst>(loop.Terminator);
        var (g, loop2) = Loop(0, 1, CmpOp.Slt, LoopUnrolling.MaxTrips + 1);
        Assert.False(new LoopUnrolling(10_000).Run(g));
        Assert.IsType<BranchInst>(loop2.Terminator);
        var (h, loop3) = Loop(0, 1, CmpOp.Slt, 10);
        Assert.False(new LoopUnrolling(0).Run(h));        // 0 disables it
        Assert.IsType<BranchInst>(loop3.Terminator);
    }

    [Fact]
    public void Unknown_start_is_left_alone()
    {
        var (_, f, b, a, _) = Function();
        var i = b.Reg(Width.W32, "i");
        b.Move(i, b.Unary(UnOp.Not, b.Const(Width.W32, 0))); // not a constant the pass tracks
        b.BinaryInto(i, BinOp.And, i, 7L);
        var loop = b.NewBlock("loop");
        var exit = b.NewBlock("exit");
        b.Jump(loop);
        b.SetBlock(loop);
        b.BinaryInto(i, BinOp.Add, i, 1L);
        b.Branch(CmpOp.Slt, i, 10L, loop, exit, Width.W32);
        b.SetBlock(exit);
        b.Return(0L);
        Assert.False(new LoopUnrolling(96).Run(f));
    }

    [Fact]
    public void Iteration_temporaries_get_fresh_registers_except_in_the_last_copy()
    {
        var (_, f, b, a, _) = Function();
        var sum = b.Reg(Width.W64, "sum");
        var i = b.Reg(Width.W64, "i");
        b.Move(sum, 0L);
        b.Move(i, 0L);
        var loop = b.NewBlock("loop");
        var exit = b.NewBlock("exit");
        b.Jump(loop);
        b.SetBlock(loop);
        var t = b.Binary(BinOp.Mul, i, a);   // defined before read: iteration-local
        b.BinaryInto(sum, BinOp.Add, sum, t);
        b.BinaryInto(i, BinOp.Add, i, 1L);
        b.Branch(CmpOp.Ult, i, 3L, loop, exit, Width.W64);
        b.SetBlock(exit);
        b.Return(b.Binary(BinOp.Add, sum, t)); // t of the last iteration is read after the loop
        Assert.True(new LoopUnrolling(96).Run(f));
        IrValidator.Validate(f);
        var muls = loop.Instructions.OfType<BinaryInst>().Where(x => x.Op == BinOp.Mul).ToList();
        Assert.Equal(3, muls.Select(x => x.Dst).Distinct().Count());
        Assert.Same(t, muls[2].Dst);
    }

    // Loops with branches inside: LoopUnrollingRegionTests.

    private const string Checksum = @"
public static unsafe partial class P
{
    [Xdp]
    static int Sum(xdp_md* ctx)
    {
        byte* data = (byte*)ctx->data;
        if (data + 24 > (byte*)ctx->data_end) return 0;
        ushort* words = (ushort*)data;
        uint sum = 0;
        for (int i = 0; i < 10; i++) sum += words[i];
        *(uint*)(data + 20) = sum;
        return 2;
    }
}";

    [Fact]
    public void Checksum_loop_becomes_straight_loads_at_constant_offsets()
    {
        var fn = BpfBackend.Compile(TestCompilation.Lower(Checksum)).Single(x => x.Name == "Sum");
        Assert.DoesNotContain(fn.Code, i => (i.Opcode & 0x07) is 0x05 or 0x06 && (i.Opcode & 0xf0) != 0x90 && i.Offset < 0); // no back edge
        var loads = fn.Code.Where(i => i.Opcode == 0x69).Select(i => (int)i.Offset).OrderBy(o => o).ToList(); // ldxh
        Assert.Equal(Enumerable.Range(0, 10).Select(k => 2 * k), loads);

        var rolled = BpfBackend.Compile(TestCompilation.Lower(Checksum), new TargetOptions { UnrollBudget = 0 }).Single(x => x.Name == "Sum");
        using var host = new BpfTestHost(ExecutionEngine.Interpreter);
        var packet = Enumerable.Range(1, 24).Select(x => (byte)(x * 37)).ToArray();
        var fast = host.RunXdp(host.Load(fn.Code, ProgramType.Xdp, "u"), packet);
        var slow = host.RunXdp(host.Load(rolled.Code, ProgramType.Xdp, "r"), packet);
        Assert.Equal(slow.Packet, fast.Packet);
        Assert.True(fast.InstructionsExecuted < slow.InstructionsExecuted, $"unrolled {fast.InstructionsExecuted} vs rolled {slow.InstructionsExecuted} executed");
    }
}
