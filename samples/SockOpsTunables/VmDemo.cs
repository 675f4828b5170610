using System;
using System.Buffers.Binary;
using CSharpBpf.Vm;
using CSharpBpf.Vm.Contexts;
using CSharpBpf.Vm.Host;
using CSharpBpf.Vm.Maps;

namespace SockOpsTunables;

/// <summary>What the program did to one simulated connection in the VM.</summary>
public sealed record VmOutcome(uint TimeoutReply, uint RwndReply, uint Cwnd, uint NoDelay, ulong[] OpCounts);

/// <summary>Runs the program in the managed VM on a simulated active connection, op by op as the kernel would call it.</summary>
public static class VmDemo
{
    public static VmOutcome Run(byte[] elf)
    {
        using var host = new BpfTestHost(ExecutionEngine.Interpreter);
        var obj = host.LoadObject(elf);
        var prog = obj.Program("Tune");
        var sock = host.CreateSocket();
        // tcp_connect: TCP_CONNECT_CB, then the SYN's timeout and the initial window; the SYN-ACK: ACTIVE_ESTABLISHED_CB
        host.RunSockOps(prog, sock, SockOpsContext.TcpConnectCb);
        uint timeout = ((SockOpsContext)host.RunSockOps(prog, sock, SockOpsContext.TimeoutInit).Context!).Reply;
        uint rwnd = ((SockOpsContext)host.RunSockOps(prog, sock, SockOpsContext.RwndInit).Context!).Reply;
        host.RunSockOps(prog, sock, SockOpsContext.ActiveEstablishedCb);
        uint nodelay = sock.Options.TryGetValue((6, 1), out var v) ? BinaryPrimitives.ReadUInt32LittleEndian(v) : 0;
        var ops = obj.Map<ArrayMap>("Ops");
        var counts = new ulong[6];
        for (uint i = 0; i < counts.Length; i++) counts[i] = ops.GetUInt64(i);
        return new VmOutcome(timeout, rwnd, sock.Tcp.U32("snd_cwnd"), nodelay, counts);
    }
}
