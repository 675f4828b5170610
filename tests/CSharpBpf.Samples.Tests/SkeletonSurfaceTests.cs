using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using CSharpBpf.Linux;
using CSharpBpf.Linux.Cgroups;
using CSharpBpf.Linux.StructOps;
using CSharpBpf.TestSupport;
using CSharpBpf.Vm;
using Xunit;

namespace CSharpBpf.Samples.Tests;

/// <summary>
/// The generated entry points of the samples' classes (LoadVm, LoadKernel, Register, Attach, AttachXdp,
/// AttachTracing) do what they say, and disposing what they return leaves no kernel state: the kernel's own
/// view (bpftool) shows the registration/attachment while it lives and neither it nor the programs afterwards.
/// </summary>
public sealed class SkeletonSurfaceTests
{
    [Theory]
    [InlineData(ExecutionEngine.Interpreter)]
    [InlineData(ExecutionEngine.Jit)]
    public void LoadVm_runs_the_struct_ops_members_through_typed_handles_and_maps(ExecutionEngine engine)
    {
        using var vm = global::TcpCongestion.CsReno.LoadVm(engine);
        Assert.Equal(new[] { "cong_avoid", "cwnd_event", "init", "pkts_acked", "set_state", "ssthresh", "undo_cwnd" },
            vm.StructOps.Keys.OrderBy(k => k, StringComparer.Ordinal));
        var sock = vm.Host.CreateSocket();
        sock.Tcp["snd_cwnd"] = 10;

        vm.Programs.init.Run(sock.KernelAddress);
        Assert.Equal(global::TcpCongestion.CsReno.InitialSsthresh, sock.Tcp.U32("snd_ssthresh"));
        vm.Programs.cong_avoid.Run(sock.KernelAddress, 0, 1); // slow start: one segment acked, cwnd + 1
        Assert.Equal(11u, sock.Tcp.U32("snd_cwnd"));

        Assert.Equal(1UL, vm.Maps.Counters[global::TcpCongestion.CsReno.Init]);
        Assert.Equal(1UL, vm.Maps.Counters[global::TcpCongestion.CsReno.CongAvoid]);
        Assert.Equal(0UL, vm.Maps.Counters[global::TcpCongestion.CsReno.Ssthresh]);
        vm.Maps.Counters[global::TcpCongestion.CsReno.Ssthresh] = 5; // user-space writes reach what the programs read
        vm.Programs.ssthresh.Run(sock.KernelAddress);
        Assert.Equal(6UL, vm.Maps.Counters.GetValueOrDefault(global::TcpCongestion.CsReno.Ssthresh));
    }

    [Fact]
    public void LoadVm_into_a_given_host_leaves_the_host_to_its_owner()
    {
        using var host = new CSharpBpf.Vm.Host.BpfTestHost();
        using (var vm = XdpRedirect.PortMap.LoadVm(host))
            Assert.Same(host, vm.Host);
        // still usable after the instance is disposed: a second object joins it
        using var again = PacketFilter.UdpFilter.LoadVm(host);
        Assert.Equal(2, (int)again.Programs.Filter.Run(new byte[10]).ReturnValue); // too short to parse: XDP_PASS
        Assert.Contains("Verdicts", host.Maps.Keys);
    }

    [SkippableFact]
    public void Register_puts_the_congestion_control_in_the_kernel_and_disposing_removes_it()
    {
        KernelSkip.UnlessBpfAllowed();
        using var structOpsLock = KernelLocks.StructOps(); // other test processes register congestion controls too
        uint[] programIds;
        uint mapId;
        using (var bpf = global::TcpCongestion.CsReno.LoadKernel())
        {
            programIds = bpf.Object.Programs.Values.Select(p => p.Id).ToArray();
            mapId = bpf.StructOps.Map.Id;
            Assert.Equal(7, programIds.Length);
            using (bpf.Register())
            {
                Assert.Equal(StructOpsState.InUse, bpf.StructOps.State);
                Assert.Contains("csreno", Bpftool($"struct_ops show id {mapId}").Output);
                Assert.Contains("csreno", File.ReadAllText("/proc/sys/net/ipv4/tcp_available_congestion_control").Split(' ', '\n'));
            }
            Assert.NotEqual(StructOpsState.InUse, bpf.StructOps.State);
        }
        AssertGone($"struct_ops show id {mapId}");
        foreach (var id in programIds) AssertGone($"prog show id {id}");
    }

    [SkippableFact]
    public void Attach_puts_every_cgroup_program_on_the_cgroup_and_disposing_detaches_them()
    {
        KernelSkip.UnlessBpfAllowed();
        Skip.If(CgroupV2.Root is null, "cgroup v2 is not mounted");
        uint[] programIds;
        using var cgroup = new TemporaryCgroup();
        using (var bpf = SysctlGuard.Policy.LoadKernel())
        {
            programIds = new[] { bpf.Programs.GuardSysctl.Program.Id, bpf.Programs.CapPriority.Program.Id };
            using (bpf.Attach(cgroup.Path))
            {
                string shown = Bpftool($"cgroup show {cgroup.Path}").Output;
                foreach (var id in programIds) Assert.Contains(id.ToString(), shown.Split(' ', '\n', '\t'));
                Assert.Contains("cgroup_sysctl", shown);
                Assert.Contains("cgroup_setsockopt", shown);
            }
            Assert.Equal("", Bpftool($"cgroup show {cgroup.Path}").Output.Trim());
        }
        foreach (var id in programIds) AssertGone($"prog show id {id}");
    }

    [SkippableFact]
    public void AttachTracing_links_the_raw_tracepoint_and_disposing_unlinks_it()
    {
        KernelSkip.UnlessBpfAllowed();
        uint programId;
        using (var bpf = SyscallCounter.Syscalls.LoadKernel())
        {
            programId = bpf.Programs.CountSyscall.Program.Id;
            bpf.Maps.Target[0] = 0; // no thread: the program counts nothing while attached
            using (bpf.AttachTracing())
                Assert.Contains($"prog {programId}", Bpftool("link show").Output);
            Assert.DoesNotContain($"prog {programId}\n", Bpftool("link show").Output + "\n");
        }
        AssertGone($"prog show id {programId}");
    }

    [SkippableFact]
    public void AttachXdp_links_the_program_to_the_interface_and_disposing_unlinks_it()
    {
        KernelSkip.UnlessBpfAllowed();
        uint programId;
        using (var bpf = XdpRedirect.PortMap.LoadKernel())
        {
            programId = bpf.Programs.Forward.Program.Id;
            // Ports is empty, so Forward passes every frame: lo keeps working for everyone while it is attached.
            IDisposable link;
            try { link = bpf.AttachXdp("lo"); }
            catch (BpfSyscallException e) when (e.ErrnoName == "EBUSY")
            {
                throw new SkipException("another XDP program holds lo (a concurrent test): " + e.Message);
            }
            using (link)
                Assert.Contains($"id {programId}", Bpftool("net show dev lo").Output);
            Assert.DoesNotContain($"id {programId}", Bpftool("net show dev lo").Output);
        }
        AssertGone($"prog show id {programId}");
    }

    /// <summary>The kernel frees programs and maps after the last reference (RCU): give it a moment before calling it a leak.</summary>
    private static void AssertGone(string show)
    {
        for (int i = 0; i < 50; i++)
        {
            if (Bpftool(show).ExitCode != 0) return;
            Thread.Sleep(100);
        }
        Assert.Fail($"still in the kernel after dispose: bpftool {show}\n{Bpftool(show).Output}");
    }

    private static (int ExitCode, string Output) Bpftool(string args)
    {
        var psi = new ProcessStartInfo("bpftool", args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }
}
