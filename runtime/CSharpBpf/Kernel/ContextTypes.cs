using System.Runtime.InteropServices;

// Kernel spelling on purpose: CO-RE and the kernel's context rewriting match these by name and layout
// (include/uapi/linux/bpf.h). Issue 4 regenerates this namespace from vmlinux BTF.
#pragma warning disable IDE1006, CS8981 // lower-case kernel names

namespace CSharpBpf.Kernel;

/// <summary>struct xdp_md: the XDP context. <c>data</c>/<c>data_end</c> become packet pointers when loaded:
/// <c>byte* p = (byte*)ctx->data;</c></summary>
[StructLayout(LayoutKind.Sequential)]
public struct xdp_md
{
    public uint data;
    public uint data_end;
    public uint data_meta;
    public uint ingress_ifindex;
    public uint rx_queue_index;
    public uint egress_ifindex;
}

/// <summary>struct __sk_buff: the context of socket filters, cgroup_skb and tc programs.</summary>
[StructLayout(LayoutKind.Explicit, Size = 192)]
public unsafe struct __sk_buff
{
    [FieldOffset(0)] public uint len;
    [FieldOffset(4)] public uint pkt_type;
    [FieldOffset(8)] public uint mark;
    [FieldOffset(12)] public uint queue_mapping;
    [FieldOffset(16)] public uint protocol;
    [FieldOffset(20)] public uint vlan_present;
    [FieldOffset(24)] public uint vlan_tci;
    [FieldOffset(28)] public uint vlan_proto;
    [FieldOffset(32)] public uint priority;
    [FieldOffset(36)] public uint ingress_ifindex;
    [FieldOffset(40)] public uint ifindex;
    [FieldOffset(44)] public uint tc_index;
    [FieldOffset(48)] public fixed uint cb[5];
    [FieldOffset(68)] public uint hash;
    [FieldOffset(72)] public uint tc_classid;
    [FieldOffset(76)] public uint data;
    [FieldOffset(80)] public uint data_end;
    [FieldOffset(84)] public uint napi_id;
    [FieldOffset(88)] public uint family;
    [FieldOffset(92)] public uint remote_ip4;
    [FieldOffset(96)] public uint local_ip4;
    [FieldOffset(100)] public fixed uint remote_ip6[4];
    [FieldOffset(116)] public fixed uint local_ip6[4];
    [FieldOffset(132)] public uint remote_port;
    [FieldOffset(136)] public uint local_port;
    [FieldOffset(140)] public uint data_meta;
    /// <summary>__bpf_md_ptr(struct bpf_flow_keys *): always 8 bytes.</summary>
    [FieldOffset(144)] public ulong flow_keys;
    [FieldOffset(152)] public ulong tstamp;
    [FieldOffset(160)] public uint wire_len;
    [FieldOffset(164)] public uint gso_segs;
    /// <summary>__bpf_md_ptr(struct bpf_sock *): 8 bytes.</summary>
    [FieldOffset(168)] public bpf_sock* sk;
    [FieldOffset(176)] public uint gso_size;
    [FieldOffset(180)] public byte tstamp_type;
    [FieldOffset(184)] public ulong hwtstamp;
}

/// <summary>struct bpf_sock: the socket view of cgroup and skb programs.</summary>
[StructLayout(LayoutKind.Explicit, Size = 80)]
public unsafe struct bpf_sock
{
    [FieldOffset(0)] public uint bound_dev_if;
    [FieldOffset(4)] public uint family;
    [FieldOffset(8)] public uint type;
    [FieldOffset(12)] public uint protocol;
    [FieldOffset(16)] public uint mark;
    [FieldOffset(20)] public uint priority;
    [FieldOffset(24)] public uint src_ip4;
    [FieldOffset(28)] public fixed uint src_ip6[4];
    [FieldOffset(44)] public uint src_port;
    [FieldOffset(48)] public ushort dst_port;
    [FieldOffset(52)] public uint dst_ip4;
    [FieldOffset(56)] public fixed uint dst_ip6[4];
    [FieldOffset(72)] public uint state;
    [FieldOffset(76)] public int rx_queue_mapping;
}
