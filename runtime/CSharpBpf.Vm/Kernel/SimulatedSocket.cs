using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Net;
using CSharpBpf.Vm.Memory;

namespace CSharpBpf.Vm.Kernel;

/// <summary>
/// A simulated TCP (or UDP) socket. Programs see it two ways, as in the kernel: through the UAPI
/// struct bpf_sock (what __sk_buff->sk, bpf_sock_ops->sk and bpf_sk_fullsock give; read-only) and
/// as the kernel's struct tcp_sock (what struct_ops and tp_btf programs get). Socket options set
/// with bpf_setsockopt are kept per (level, optname) and readable with bpf_getsockopt and from tests.
/// </summary>
public sealed class SimulatedSocket
{
    private static long _nextCookie = 0x1000;

    public SimulatedSocket(BpfMachine machine, ushort family = 2, ushort type = 1, ushort protocol = 6,
        IPEndPoint? local = null, IPEndPoint? remote = null, byte state = 1, KernelStructLayout? tcpLayout = null)
    {
        Machine = machine;
        Cookie = (ulong)System.Threading.Interlocked.Increment(ref _nextCookie);
        Family = family;
        Type = type;
        Protocol = protocol;
        Local = local ?? new IPEndPoint(IPAddress.Loopback, 40000);
        Remote = remote ?? new IPEndPoint(IPAddress.Loopback, 8080);
        State = state;
        // The kernel view: the reference kernel's tcp_sock, or a layout from BTF (e.g. the object's own).
        Tcp = new KernelObject(machine, tcpLayout ?? KernelStructLayout.TcpSock, this, $"tcp_sock#{Cookie:x}");
        BpfSock = machine.Memory.Add($"bpf_sock#{Cookie:x}", RegionKind.KernelObject, 80, writable: false, owner: this);
        Init("skc_family", family);
        Init("skc_state", state);
        Init("skc_cookie", Cookie);
        Init("sk_protocol", protocol);
        Init("sk_type", type);
        Init("skc_num", (ushort)Local.Port);
        Init("skc_dport", BinaryPrimitives.ReverseEndianness((ushort)Remote.Port));
        Init("snd_cwnd", 10);
        Init("snd_ssthresh", 0x7fffffff); // TCP_INFINITE_SSTHRESH
        Init("snd_cwnd_clamp", 0xffffffff);
        Init("mss_cache", 1448);
        RefreshBpfSock();
    }

    private void Init(string field, ulong value)
    {
        if (Tcp.Layout.Has(field)) Tcp[field] = value;
    }

    public BpfMachine Machine { get; }
    public ulong Cookie { get; }
    public ushort Family { get; }
    public ushort Type { get; }
    public ushort Protocol { get; }
    public IPEndPoint Local { get; }
    public IPEndPoint Remote { get; }
    public byte State { get; set; }

    /// <summary>Whether bpf_sk_fullsock returns the socket (false for request/timewait minisocks).</summary>
    public bool IsFullSocket { get; set; } = true;

    /// <summary>The kernel view: struct tcp_sock.</summary>
    public KernelObject Tcp { get; }

    /// <summary>The UAPI view: struct bpf_sock (80 bytes), read-only to programs.</summary>
    public MemoryRegion BpfSock { get; }

    public ulong KernelAddress => Tcp.Address;
    public ulong BpfSockAddress => BpfSock.Address;

    /// <summary>bpf_sock_ops_cb_flags as set by bpf_sock_ops_cb_flags_set.</summary>
    public uint SockOpsCbFlags { get; set; }

    /// <summary>Options set through bpf_setsockopt (or by the test), by (level, optname).</summary>
    public Dictionary<(int Level, int Name), byte[]> Options { get; } = new();

    /// <summary>The TCP congestion control in use (TCP_CONGESTION).</summary>
    public string CongestionControl { get; set; } = "cubic";

    /// <summary>Rewrites the bpf_sock view from the socket's fields.</summary>
    public void RefreshBpfSock()
    {
        var s = BpfSock.Span;
        BinaryPrimitives.WriteUInt32LittleEndian(s.Slice(4), Family);
        BinaryPrimitives.WriteUInt32LittleEndian(s.Slice(8), Type);
        BinaryPrimitives.WriteUInt32LittleEndian(s.Slice(12), Protocol);
        if (Family == 2)
        {
            Local.Address.MapToIPv4().GetAddressBytes().CopyTo(s.Slice(24));
            Remote.Address.MapToIPv4().GetAddressBytes().CopyTo(s.Slice(52));
        }
        else
        {
            Local.Address.MapToIPv6().GetAddressBytes().CopyTo(s.Slice(28));
            Remote.Address.MapToIPv6().GetAddressBytes().CopyTo(s.Slice(56));
        }
        BinaryPrimitives.WriteUInt32LittleEndian(s.Slice(44), (uint)Local.Port);           // src_port: host order
        BinaryPrimitives.WriteUInt16BigEndian(s.Slice(48), (ushort)Remote.Port);           // dst_port: network order
        BinaryPrimitives.WriteUInt32LittleEndian(s.Slice(72), State);
    }

    /// <summary>The socket a program pointer refers to (either view), or null.</summary>
    public static SimulatedSocket? FromAddress(BpfMachine machine, ulong address)
    {
        var region = machine.Memory.RegionOf(address, out long off);
        return region?.Owner is SimulatedSocket s && off == 0 ? s : null;
    }
}
