using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using CSharpBpf.Linux.Cgroups;

namespace SocketStorage;

/// <summary>One way of counting: the counts it kept for the socket, and what it cost.</summary>
public sealed record Measurement(string Program, ulong Packets, ulong Bytes, double Cost, string CostUnit);

public static class Demo
{
    private const int SolSocket = 1, SoCookie = 57;

    /// <summary>The VM: the same packets from one simulated socket through each program; cost = eBPF instructions per packet.</summary>
    public static Measurement[] RunVm(int packets)
    {
        var results = new Measurement[2];
        int i = 0;
        foreach (var name in new[] { "CountInStorage", "CountInHash" })
        {
            using var vm = Counters.LoadVm();
            var program = name == "CountInStorage" ? vm.Programs.CountInStorage : vm.Programs.CountInHash;
            var sock = vm.Host.CreateSocket();
            long insns = 0;
            for (int p = 0; p < packets; p++) insns += program.Run(new byte[100 + p % 50], sock).InstructionsExecuted;
            var counts = name == "CountInStorage"
                ? vm.Maps.PerSocket.Get(sock) is { } bytes ? MemoryMarshal.Read<Counts>(bytes) : default // sk_storage: the value hangs on the socket
                : vm.Maps.ByCookie.GetValueOrDefault(sock.Cookie);
            results[i++] = new Measurement(name, counts.Packets, counts.Bytes, (double)insns / packets, "insns/packet");
        }
        return results;
    }

    /// <summary>The kernel: each program alone on a temporary cgroup, a loopback connection from inside it sending
    /// <paramref name="messages"/> small messages; cost = wall time per message (the program runs once per packet).</summary>
    public static Measurement[] RunKernel(int messages)
    {
        var results = new Measurement[2];
        int i = 0;
        foreach (var name in new[] { "CountInStorage", "CountInHash" })
        {
            using var bpf = Counters.LoadKernel();
            using var cgroup = new TemporaryCgroup();
            var program = name == "CountInStorage" ? bpf.Programs.CountInStorage : bpf.Programs.CountInHash;
            using var attached = program.Attach(cgroup.Path); // alone: each way measured without the other
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            Socket client;
            using (cgroup.Enter()) client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            using (client)
            {
                client.NoDelay = true;
                client.Connect(listener.LocalEndPoint!);
                using var server = listener.Accept();
                var msg = new byte[64];
                var sink = new byte[4096];
                var clock = Stopwatch.StartNew();
                for (int m = 0; m < messages; m++)
                {
                    client.Send(msg);
                    int got = 0;
                    while (got < msg.Length) got += server.Receive(sink);
                }
                clock.Stop();
                Counts counts;
                if (name == "CountInStorage")
                    counts = bpf.Maps.PerSocket.Lookup(BitConverter.GetBytes((int)client.Handle)) is { } bytes // sk_storage: the key is a socket fd
                        ? MemoryMarshal.Read<Counts>(bytes) : default;
                else
                {
                    var cookie = new byte[8];
                    client.GetRawSocketOption(SolSocket, SoCookie, cookie);
                    counts = bpf.Maps.ByCookie.GetValueOrDefault(BitConverter.ToUInt64(cookie));
                }
                results[i++] = new Measurement(name, counts.Packets, counts.Bytes,
                    clock.Elapsed.TotalMilliseconds * 1000 / messages, "µs/message round trip");
            }
        }
        return results;
    }

    public static string? WhyNotKernel()
    {
        if (!OperatingSystem.IsLinux()) return "not Linux";
        if (Environment.GetEnvironmentVariable("CSHARPBPF_NO_KERNEL") == "1") return "CSHARPBPF_NO_KERNEL=1";
        if (Environment.UserName != "root") return "not root: attaching cgroup_skb programs needs CAP_BPF and CAP_NET_ADMIN (run as root for the kernel step)";
        if (CgroupV2.Root is null) return "cgroup v2 is not mounted";
        return null;
    }
}
