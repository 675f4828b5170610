using System;
using System.IO;
using System.Net.Sockets;
using CSharpBpf.Linux.Cgroups;
using CSharpBpf.Linux.Links;
using CSharpBpf.Linux.Loader;
using CSharpBpf.Linux.Programs;
using CSharpBpf.Vm;
using CSharpBpf.Vm.Contexts;
using CSharpBpf.Vm.Host;

namespace SysctlGuard;

/// <summary>What the policy decided: sysctl verdicts and the priority a socket ended up with.</summary>
public sealed record Outcome(bool ReadAllowed, bool KeepaliveWriteAllowed, bool OtherWriteAllowed, int PriorityAsked, int PriorityGot);

public static class Demo
{
    private const string Keepalive = "net/ipv4/tcp_keepalive_time";
    private const int SolSocket = 1, SoPriority = 12;

    public static Outcome RunVm(byte[] elf, int priority)
    {
        using var host = new BpfTestHost(ExecutionEngine.Interpreter);
        var obj = host.LoadObject(elf);
        var guard = obj.Program("GuardSysctl");
        bool read = host.RunSysctl(guard, Keepalive, "7200").Verdict == 1;
        bool write = host.RunSysctl(guard, Keepalive, "7200", "60").Verdict == 1;
        bool other = host.RunSysctl(guard, "net/ipv4/tcp_keepalive_intvl", "75", "30").Verdict == 1;
        var ctx = new SockoptContext(host.CreateSocket(), isSet: true, SolSocket, SoPriority, BitConverter.GetBytes(priority));
        host.Run(obj.Program("CapPriority"), ctx);
        return new Outcome(read, write, other, priority, BitConverter.ToInt32(ctx.Optval, 0));
    }

    /// <summary>Attaches both programs to a temporary cgroup, then, from inside it, reads and rewrites the sysctl with its
    /// own current value (so nothing changes even if a write got through) and sets a socket's priority.</summary>
    public static Outcome RunKernel(byte[] elf, int priority)
    {
        using var obj = BpfObject.Load(ObjectSpec.Read(elf, "Policy"));
        using var cgroup = new TemporaryCgroup();
        using var sysctl = Attach.Cgroup(obj.Program("GuardSysctl"), cgroup.Path, BpfAttachType.CgroupSysctl);
        using var sockopt = Attach.Cgroup(obj.Program("CapPriority"), cgroup.Path, BpfAttachType.CgroupSetsockopt);
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
