using CSharpBpf.Object.Isa;
using CSharpBpf.Vm.Helpers;
using Xunit;

namespace CSharpBpf.Vm.Tests.Helpers;

/// <summary>bpf_get_current_pid_tgid (helper 14): tgid &lt;&lt; 32 | pid of the machine's simulated task.</summary>
public abstract class TaskHelperTests : VmTestBase
{
    private static readonly object[] PidTgid = { Insns.CallHelper(HelperIds.GetCurrentPidTgid), Insns.Exit() };

    [Fact]
    public void Default_task_is_reported()
    {
        var task = new SimulatedTask();
        Assert.Equal((ulong)task.Tgid << 32 | task.Pid, Run(PidTgid));
    }

    [Fact]
    public void Configured_task_is_reported_and_can_change_between_runs()
    {
        Machine.Helpers.CurrentTask = new SimulatedTask { Tgid = 0xfffffffe, Pid = 7 };
        var prog = Machine.Load(Prog(PidTgid));
        Assert.Equal(0xfffffffe_00000007UL, prog.Run());
        Machine.Helpers.CurrentTask.Pid = 8;
        Assert.Equal(0xfffffffe_00000008UL, prog.Run());
    }

    [Fact]
    public void Upper_half_is_the_tgid()
    {
        Machine.Helpers.CurrentTask = new SimulatedTask { Tgid = 1234, Pid = 1240 };
        Assert.Equal(1234UL, Run(Insns.CallHelper(HelperIds.GetCurrentPidTgid), Insns.Alu64Imm(AluOp.Rsh, 0, 32), Insns.Exit()));
    }
}

public sealed class InterpreterTaskHelperTests : TaskHelperTests
{
    protected override ExecutionEngine Engine => ExecutionEngine.Interpreter;
}

public sealed class JitTaskHelperTests : TaskHelperTests
{
    protected override ExecutionEngine Engine => ExecutionEngine.Jit;
}
