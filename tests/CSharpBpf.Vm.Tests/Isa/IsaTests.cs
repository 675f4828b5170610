using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Object.Isa;
using CSharpBpf.Vm;
using Xunit;
using static CSharpBpf.Object.Isa.Insns;
using static CSharpBpf.Object.Isa.Reg;

namespace CSharpBpf.Vm.Tests.Isa;

/// <summary>RFC 9669 instruction semantics, on each engine.</summary>
public abstract class IsaTests : VmTestBase
{
    public static IEnumerable<object[]> CaseNames => IsaCases.All.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Instruction_semantics(string name)
    {
        var (program, expected) = IsaCases.All[name];
        ulong r0 = Machine.Load(program).Run();
        Assert.True(expected == r0, $"{name}: expected 0x{expected:x}, got 0x{r0:x}");
    }

    [Fact]
    public void Sum_loop_executes_3003_instructions()
    {
        ulong r0 = Run(Mov64Imm(R0, 0), Mov64Imm(R1, 0),
            Alu64Reg(AluOp.Add, R0, R1), Alu64Imm(AluOp.Add, R1, 1), JmpImm(JmpOp.Jlt, R1, 1000, -3), Exit());
        Assert.Equal(499500UL, r0);
        Assert.Equal(3003, Machine.InstructionsExecuted);
    }

    [Fact]
    public void Runaway_loop_stops_with_budget_error()
    {
        Machine.InstructionBudget = 10_000;
        var e = RunFails(Mov64Imm(R0, 0), Alu64Imm(AluOp.Add, R0, 1), Ja(-2));
        Assert.Equal(VmErrorKind.BudgetExhausted, e.Kind);
        Assert.Contains("10000", e.Message);
    }

    [Fact]
    public void Load_outside_the_stack_names_instruction_address_and_region()
    {
        var e = RunFails(Mov64Imm(R0, 0), Ldx(MemSize.DW, R0, R10, 8), Exit());
        Assert.Equal(VmErrorKind.MemoryViolation, e.Kind);
        Assert.Equal(1, e.InstructionIndex);
        Assert.Equal("stack", e.Region);
        Assert.Equal(Machine.Stack.AddressOf(Machine.Stack.Length + 8), e.Address);
        Assert.Contains("past its end", e.Message);
    }

    [Fact]
    public void Store_below_the_stack_is_reported_before_the_region()
    {
        var e = RunFails(St(MemSize.DW, R10, -4096 - 8, 1), Exit());
        Assert.Equal(VmErrorKind.MemoryViolation, e.Kind);
        Assert.Contains("8 bytes before region 'stack'", e.Message);
    }

    [Fact]
    public void Null_pointer_load_is_a_clean_error()
    {
        var e = RunFails(Mov64Imm(R1, 0), Ldx(MemSize.W, R0, R1, 0), Exit());
        Assert.Equal(VmErrorKind.MemoryViolation, e.Kind);
        Assert.Contains("no pointer", e.Message);
        Assert.Equal(0UL, e.Address);
    }

    [Fact]
    public void Unbounded_recursion_stops_at_8_frames()
    {
        var e = RunFails(CallLocal(-1), Exit());
        Assert.Equal(VmErrorKind.CallDepthExceeded, e.Kind);
    }

    [Fact]
    public void Seven_nested_calls_are_allowed()
    {
        // main + f(6)..f(0) = 8 frames, the kernel's MAX_CALL_FRAMES
        var items = new List<object> { Mov64Imm(R1, 6), CallLocal(1), Exit() };
        // f(n): if n == 0 return 0; return f(n-1) + 1
        items.AddRange(new object[]
        {
            JmpImm(JmpOp.Jne, R1, 0, 2), Mov64Imm(R0, 0), Exit(),
            Alu64Imm(AluOp.Sub, R1, 1), CallLocal(-5), Alu64Imm(AluOp.Add, R0, 1), Exit(),
        });
        Assert.Equal(6UL, Run(items.ToArray()));
        var tooDeep = new List<object> { Mov64Imm(R1, 7), CallLocal(1), Exit() };
        tooDeep.AddRange(items.Skip(3));
        Assert.Equal(VmErrorKind.CallDepthExceeded, RunFails(tooDeep.ToArray()).Kind);
    }

    [Fact]
    public void Unknown_helper_is_a_clean_error()
    {
        var e = RunFails(CallHelper(9999), Exit());
        Assert.Equal(VmErrorKind.UnknownHelper, e.Kind);
        Assert.Equal(0, e.InstructionIndex);
    }

    [Fact]
    public void Invalid_opcode_fails_only_when_reached()
    {
        Assert.Equal(1UL, Run(Mov64Imm(R0, 1), Ja(1), new Instruction(0xff, 0, 0, 0, 0), Exit()));
        var e = RunFails(Mov64Imm(R0, 1), new Instruction(0xff, 0, 0, 0, 0), Exit());
        Assert.Equal(VmErrorKind.InvalidInstruction, e.Kind);
        Assert.Equal(1, e.InstructionIndex);
    }

    [Fact]
    public void Falling_off_the_end_is_an_error()
    {
        var e = RunFails(Mov64Imm(R0, 1));
        Assert.Equal(VmErrorKind.InvalidInstruction, e.Kind);
        Assert.Contains("fell off the end", e.Message);
    }

    [Fact]
    public void Jump_into_the_middle_of_lddw_is_an_error()
    {
        var e = RunFails(Ja(1), LoadImm64(R0, 1), Exit());
        Assert.Contains("second slot", e.Message);
    }

    [Fact]
    public void Frame_pointer_is_not_reachable_through_a_code_address()
    {
        var e = RunFails(LoadFunc(R1, 1), Ldx(MemSize.DW, R0, R1, 0), Exit(), Exit());
        Assert.Equal(VmErrorKind.MemoryViolation, e.Kind);
        Assert.Contains("unreadable", e.Message);
    }
}

public sealed class InterpreterIsaTests : IsaTests
{
    protected override ExecutionEngine Engine => ExecutionEngine.Interpreter;
}

public sealed class JitIsaTests : IsaTests
{
    protected override ExecutionEngine Engine => ExecutionEngine.Jit;
}
