using System;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using CSharpBpf.Linux.Cgroups;

namespace SockOpsTunables;

/// <summary>What the kernel did: options of a connection made inside the cgroup and of one made outside it.</summary>
public sealed record KernelOutcome(int InsideNoDelay, uint InsideCwnd, int OutsideNoDelay, uint OutsideCwnd, ulong[] OpCounts);

/// <summary>Attaches the program to a temporary cgroup and opens loopback connections from inside and outside it.</summary>
public static class KernelDemo
{
    private const int SolTcp = 6, TcpNoDelay = 1, TcpInfo = 11, TcpiSndCwnd = 80;

    public static KernelOutcome Run()
    {
        using var bpf = Tunables.LoadKernel();
        using var cgroup = new TemporaryCgroup();
        using var attached = bpf.Attach(cgroup.Path); // Tune, at the sock_ops hook
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4);

        // A socket belongs to the cgroup of the process that created it.
        Socket inside;
        using (cgroup.Enter()) inside = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var outside = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using (inside)
        {
            inside.Connect(listener.LocalEndPoint!);
            using var a = listener.Accept();
            outside.Connect(listener.LocalEndPoint!);
            using var b = listener.Accept();
            var counts = new ulong[6];
            for (uint i = 0; i < counts.Length; i++) counts[i] = bpf.Maps.Ops[i];
            return new KernelOutcome(IntOption(inside, TcpNoDelay), Cwnd(inside), IntOption(outside, TcpNoDelay), Cwnd(outside), counts);
        }
    }

    private static int IntOption(Socket s, int name)
    {
        var buf = new byte[4];
        s.GetRawSocketOption(SolTcp, name, buf);
        return BinaryPrimitives.ReadInt32LittleEndian(buf);
    }

    private static uint Cwnd(Socket s)
    {
        var info = new byte[232];
        s.GetRawSocketOption(SolTcp, TcpInfo, info);
        return BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(TcpiSndCwnd));
    }

    public static string? WhyNot()
    {
        if (!OperatingSystem.IsLinux()) return "not Linux";
        if (Environment.GetEnvironmentVariable("CSHARPBPF_NO_KERNEL") == "1") return "CSHARPBPF_NO_KERNEL=1";
        if (Environment.UserName != "root") return "not root: attaching sock_ops to a cgroup needs CAP_BPF and CAP_NET_ADMIN (run as root for the kernel step)";
        if (CgroupV2.Root is null) return "cgroup v2 is not mounted";
        return null;
    }
}
