using System;
using System.IO;
using System.Net.Sockets;
using CSharpBpf.Linux.Cgroups;
using CSharpBpf.Vm.Contexts;

namespace SysctlGuard;

/// <summary>What the policy decided: sysctl verdicts and the priority a socket ended up with.</summary>
public sealed record Outcome(bool ReadAllowed, bool KeepaliveWriteAllowed, bool OtherWriteAllowed, int PriorityAsked, int PriorityGot);

public static class Demo
{
    private const string Keepalive = "net/ipv4/tcp_keepalive_time";
    private const int SolSocket = 1, SoPriority = 12;

    public static Outcome RunVm(int priority)
    {
        using var vm = Policy.LoadVm();
        var guard = vm.Programs.GuardSysctl;
        bool read = guard.Run(Keepalive, "7200").Verdict == 1;
        bool write = guard.Run(Keepalive, "7200", "60").Verdict == 1;
        bool other = guard.Run("net/ipv4/tcp_keepalive_intvl", "75", "30").Verdict == 1;
        var ctx = new SockoptContext(vm.Host.CreateSocket(), isSet: true, SolSocket, SoPriority, BitConverter.GetBytes(priority));
        vm.Programs.CapPriority.Run(ctx);
        return new Outcome(read, write, other, priority, BitConverter.ToInt32(ctx.Optval, 0));
    }

    /// <summary>Attaches both programs to a temporary cgroup, then, from inside it, reads and rewrites the sysctl with its
    /// own current value (so nothing changes even if a write got through) and sets a socket's priority.</summary>
    public static Outcome RunKernel(int priority)
    {
        using var bpf = Policy.LoadKernel();
        using var cgroup = new TemporaryCgroup();
        using var attached = bpf.Attach(cgroup.Path); // GuardSysctl at cgroup/sysctl, CapPriority at cgroup/setsockopt
        using (cgroup.Enter())
        {
            string path = "/proc/sys/" + Keepalive;
            string current = File.ReadAllText(path);
            bool write = TryWrite(path, current);
            string intvl = "/proc/sys/net/ipv4/tcp_keepalive_intvl";
            bool other = TryWrite(intvl, File.ReadAllText(intvl));
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.SetRawSocketOption(SolSocket, SoPriority, BitConverter.GetBytes(priority));
            var buf = new byte[4];
            s.GetRawSocketOption(SolSocket, SoPriority, buf);
            int got = BitConverter.ToInt32(buf, 0);
            return new Outcome(current.Length > 0, write, other, priority, got);
        }
    }

    private static bool TryWrite(string path, string value)
    {
        try { File.WriteAllText(path, value); return true; }
        catch (UnauthorizedAccessException) { return false; } // EPERM from the sysctl program
        catch (IOException) { return false; }
    }

    public static string? WhyNotKernel()
    {
        if (!OperatingSystem.IsLinux()) return "not Linux";
        if (Environment.GetEnvironmentVariable("CSHARPBPF_NO_KERNEL") == "1") return "CSHARPBPF_NO_KERNEL=1";
        if (Environment.UserName != "root") return "not root: attaching cgroup programs needs CAP_BPF and CAP_NET_ADMIN (run as root for the kernel step)";
        if (CgroupV2.Root is null) return "cgroup v2 is not mounted";
        return null;
    }
}
