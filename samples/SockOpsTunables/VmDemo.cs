using System.Buffers.Binary;
using CSharpBpf.Vm.Contexts;

namespace SockOpsTunables;

/// <summary>What the program did to one simulated connection in the VM.</summary>
public sealed record VmOutcome(uint TimeoutReply, uint RwndReply, uint Cwnd, uint NoDelay, ulong[] OpCounts);

/// <summary>Runs the program in the managed VM on a simulated active connection, op by op as the kernel would call it.</summary>
public static class VmDemo
{
    public static VmOutcome Run()
    {
        using var vm = Tunables.LoadVm();
        var tune = vm.Programs.Tune;
        var sock = vm.Host.CreateSocket();
        // tcp_connect: TCP_CONNECT_CB, then the SYN's timeout and the initial window; the SYN-ACK: ACTIVE_ESTABLISHED_CB
        tune.Run(sock, SockOpsContext.TcpConnectCb);
        uint timeout = ((SockOpsContext)tune.Run(sock, SockOpsContext.TimeoutInit).Context!).Reply;
        uint rwnd = ((SockOpsContext)tune.Run(sock, SockOpsContext.RwndInit).Context!).Reply;
        tune.Run(sock, SockOpsContext.ActiveEstablishedCb);
        uint nodelay = sock.Options.TryGetValue((6, 1), out var v) ? BinaryPrimitives.ReadUInt32LittleEndian(v) : 0;
        var counts = new ulong[6];
        for (uint i = 0; i < counts.Length; i++) counts[i] = vm.Maps.Ops[i];
        return new VmOutcome(timeout, rwnd, sock.Tcp.U32("snd_cwnd"), nodelay, counts);
    }
}
