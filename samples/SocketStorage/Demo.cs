using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CSharpBpf.Linux.Cgroups;
using CSharpBpf.Linux.Links;
using CSharpBpf.Linux.Loader;
using CSharpBpf.Linux.Programs;
using CSharpBpf.Vm;
using CSharpBpf.Vm.Host;
using CSharpBpf.Vm.Maps;

namespace SocketStorage;

/// <summary>One way of counting: the counts it kept for the socket, and what it cost.</summary>
public sealed record Measurement(string Program, ulong Packets, ulong Bytes, double Cost, string CostUnit);

public static class Demo
{
    private const int SolSocket = 1, SoCookie = 57;

    /// <summary>The VM: the same packets from one simulated socket through each program; cost = eBPF instructions per packet.</summary>
    public static Measurement[] RunVm(byte[] elf, int packets)
    {
        var results = new Measurement[2];
        int i = 0;
        foreach (var name in new[] { "CountInStorage", "CountInHash" })
        {
            using var host = new BpfTestHost(ExecutionEngine.Interpreter);
            var obj = host.LoadObject(elf);
            var sock = host.CreateSocket();
            long insns = 0;
            for (int p = 0; p < packets; p++) insns += host.RunSkb(obj.Program(name), new byte[100 + p % 50], sock).InstructionsExecuted;
            byte[] value = name == "CountInStorage"
                ? obj.Map<SkStorageMap>("PerSocket").Get(sock) ?? new byte[16]
                : obj.Map("ByCookie").Lookup(BitConverter.GetBytes(sock.Cookie)) ?? new byte[16];
            results[i++] = new Measurement(name, BitConverter.ToUInt64(value, 0), BitConverter.ToUInt64(value, 8), (double)insns / packets, "insns/packet");
        }
        return results;
    }

    /// <summary>The kernel: each program alone on a temporary cgroup, a loopback connection from inside it sending
    /// <paramref name="messages"/> small messages; cost = wall time per message (the program runs once per packet).</summary>
    public static Measurement[] RunKernel(byte[] elf, int messages)
    {
        var results = new Measurement[2];
        int i = 0;
        foreach (var name in new[] { "CountInStorage", "CountInHash" })
        {
            using var obj = BpfObject.Load(ObjectSpec.Read(elf, "Counters"));
            using var cgroup = new TemporaryCgroup();
            using var attached = Attach.Cgroup(obj.Program(name), cgroup.Path, BpfAttachType.CgroupInetEgress);
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
                byte[]? value;
                if (name == "CountInStorage")
                    value = obj.Map("PerSocket").Lookup(BitConverter.GetBytes((int)client.Handle)); // sk_storage: the key is a socket fd
                else
                {
                    var cookie = new byte[8];
                    client.GetRawSocketOption(SolSocket, SoCookie, cookie);
                    value = obj.Map("ByCookie").Lookup(cookie);
                }
                value ??= new byte[16];
                results[i++] = new Measurement(name, BitConverter.ToUInt64(value, 0), BitConverter.ToUInt64(value, 8),
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
