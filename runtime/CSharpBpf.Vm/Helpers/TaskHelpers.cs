namespace CSharpBpf.Vm.Helpers;

/// <summary>
/// The task ("current" in the kernel) a program runs on behalf of, as the VM simulates it: there is no
/// real calling task in the VM, so tests set the ids they expect helpers to report.
/// </summary>
public sealed class SimulatedTask
{
    /// <summary>Thread group id: what user space calls the process id. Default 4242.</summary>
    public uint Tgid { get; set; } = 4242;

    /// <summary>Thread id (the kernel's task pid). Default 4243, a second thread of <see cref="Tgid"/>.</summary>
    public uint Pid { get; set; } = 4243;

    /// <summary>What bpf_get_current_pid_tgid returns: tgid &lt;&lt; 32 | pid.</summary>
    public ulong PidTgid => (ulong)Tgid << 32 | Pid;
}

/// <summary>Helpers that describe the current task (bpf_get_current_pid_tgid).</summary>
internal static class TaskHelpers
{
    public static void Register(HelperTable t)
    {
        t.Register(HelperIds.GetCurrentPidTgid, "bpf_get_current_pid_tgid", (m, a) => m.Helpers.CurrentTask.PidTgid);
    }
}
