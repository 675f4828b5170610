using System.Collections.Generic;

namespace CSharpBpf.Verifier;

/// <summary>
/// UAPI context layouts (offsets from Linux 6.18's include/uapi/linux/bpf.h, checked against its BTF) with
/// the read/write rules of each program type's is_valid_access.
/// </summary>
public static class ContextLayouts
{
    public static ContextLayout XdpMd { get; } = new("xdp_md", 24, new[]
    {
        new ContextField("data", 0, 4, RegType.PtrToPacket),
        new ContextField("data_end", 4, 4, RegType.PtrToPacketEnd),
        new ContextField("data_meta", 8, 4, RegType.PtrToPacketMeta),
        new ContextField("ingress_ifindex", 12, 4),
        new ContextField("rx_queue_index", 16, 4),
        // Only devmap programs (expected attach BPF_XDP_DEVMAP) may read egress_ifindex (kernel-tested).
        new ContextField("egress_ifindex", 20, 4, Readable: false),
    });

    private static readonly string[] SkbU32Names =
    {
        "len", "pkt_type", "mark", "queue_mapping", "protocol", "vlan_present", "vlan_tci", "vlan_proto", "priority",
        "ingress_ifindex", "ifindex", "tc_index",
    };

    /// <summary>__sk_buff for socket filters (no direct packet access; only cb[] writable).</summary>
    public static ContextLayout SkBuffSocketFilter { get; } = SkBuff(VerifierProgramType.SocketFilter);
    public static ContextLayout SkBuffCgroup { get; } = SkBuff(VerifierProgramType.CgroupSkb);
    public static ContextLayout SkBuffTc { get; } = SkBuff(VerifierProgramType.SchedCls);

    private static ContextLayout SkBuff(VerifierProgramType type)
    {
        bool tc = type is VerifierProgramType.SchedCls or VerifierProgramType.SchedAct;
        bool cg = type == VerifierProgramType.CgroupSkb;
        bool packet = tc || cg;
        var f = new List<ContextField>();
        for (int i = 0; i < SkbU32Names.Length; i++)
        {
            string n = SkbU32Names[i];
            bool w = n switch
            {
                "mark" or "priority" => tc || cg,
                "queue_mapping" or "tc_index" => tc,
                _ => false,
            };
            f.Add(new ContextField(n, i * 4, 4, Writable: w));
        }
        for (int i = 0; i < 5; i++) f.Add(new ContextField($"cb[{i}]", 48 + i * 4, 4, Writable: true));
        f.Add(new ContextField("hash", 68, 4));
        f.Add(new ContextField("tc_classid", 72, 4, Readable: tc, Writable: tc));
        f.Add(new ContextField("data", 76, 4, RegType.PtrToPacket, Readable: packet));
        f.Add(new ContextField("data_end", 80, 4, RegType.PtrToPacketEnd, Readable: packet));
        f.Add(new ContextField("napi_id", 84, 4));
        f.Add(new ContextField("family", 88, 4));
        f.Add(new ContextField("remote_ip4", 92, 4));
        f.Add(new ContextField("local_ip4", 96, 4));
        for (int i = 0; i < 4; i++) f.Add(new ContextField($"remote_ip6[{i}]", 100 + i * 4, 4));
        for (int i = 0; i < 4; i++) f.Add(new ContextField($"local_ip6[{i}]", 116 + i * 4, 4));
        f.Add(new ContextField("remote_port", 132, 4));
        f.Add(new ContextField("local_port", 136, 4));
        f.Add(new ContextField("data_meta", 140, 4, RegType.PtrToPacketMeta, Readable: tc));
        f.Add(new ContextField("flow_keys", 144, 8, Readable: false));
        f.Add(new ContextField("tstamp", 152, 8, Readable: packet, Writable: tc || cg));
        f.Add(new ContextField("wire_len", 160, 4, Readable: tc));
        f.Add(new ContextField("gso_segs", 164, 4));
        f.Add(new ContextField("sk", 168, 8, RegType.PtrToSockCommon, LoadMaybeNull: true));
        f.Add(new ContextField("gso_size", 176, 4));
        f.Add(new ContextField("tstamp_type", 180, 1, Readable: tc));
        f.Add(new ContextField("hwtstamp", 184, 8, Readable: packet));
        return new ContextLayout("__sk_buff", 192, f);
    }

    private static readonly string[] SockOpsU32After =
    {
        "family", "remote_ip4", "local_ip4", "remote_ip6[0]", "remote_ip6[1]", "remote_ip6[2]", "remote_ip6[3]",
        "local_ip6[0]", "local_ip6[1]", "local_ip6[2]", "local_ip6[3]", "remote_port", "local_port", "is_fullsock",
        "snd_cwnd", "srtt_us", "bpf_sock_ops_cb_flags", "state", "rtt_min", "snd_ssthresh", "rcv_nxt", "snd_nxt",
        "snd_una", "mss_cache", "ecn_flags", "rate_delivered", "rate_interval_us", "packets_out", "retrans_out",
        "total_retrans", "segs_in", "data_segs_in", "segs_out", "data_segs_out", "lost_out", "sacked_out", "sk_txhash",
    };

    public static ContextLayout SockOps { get; } = BuildSockOps();

    private static ContextLayout BuildSockOps()
    {
        var f = new List<ContextField> { new("op", 0, 4) };
        // args[4] / reply / replylong[4] share bytes 4..19; only reply (= args[0]) may be written (kernel-tested).
        for (int i = 0; i < 4; i++) f.Add(new ContextField(i == 0 ? "reply" : $"args[{i}]", 4 + i * 4, 4, Writable: i == 0));
        for (int i = 0; i < SockOpsU32After.Length; i++)
        {
            string n = SockOpsU32After[i];
            f.Add(new ContextField(n, 20 + i * 4, 4, Writable: n == "sk_txhash"));
        }
        f.Add(new ContextField("bytes_received", 168, 8));
        f.Add(new ContextField("bytes_acked", 176, 8));
        f.Add(new ContextField("sk", 184, 8, RegType.PtrToSocket, LoadMaybeNull: true));
        f.Add(new ContextField("skb_data", 192, 8, RegType.PtrToPacket));
        f.Add(new ContextField("skb_data_end", 200, 8, RegType.PtrToPacketEnd));
        f.Add(new ContextField("skb_len", 208, 4));
        f.Add(new ContextField("skb_tcp_flags", 212, 4));
        f.Add(new ContextField("skb_hwtstamp", 216, 8));
        return new ContextLayout("bpf_sock_ops", 224, f);
    }

    public static ContextLayout Sysctl { get; } = new("bpf_sysctl", 8, new[]
    {
        new ContextField("write", 0, 4),
        new ContextField("file_pos", 4, 4, Writable: true),
    });

    public static ContextLayout Sockopt(bool get) => new("bpf_sockopt", 40, new[]
    {
        new ContextField("sk", 0, 8, RegType.PtrToSocket),
        new ContextField("optval", 8, 8, RegType.PtrToPacket),
        new ContextField("optval_end", 16, 8, RegType.PtrToPacketEnd),
        new ContextField("level", 24, 4, Writable: !get),
        new ContextField("optname", 28, 4, Writable: !get),
        new ContextField("optlen", 32, 4, Writable: true),
        new ContextField("retval", 36, 4, Readable: get, Writable: get),
    });

    /// <summary>struct bpf_sock (what PTR_TO_SOCKET/PTR_TO_SOCK_COMMON point at): read-only.</summary>
    public static ContextLayout BpfSock { get; } = new("bpf_sock", 80, new[]
    {
        new ContextField("bound_dev_if", 0, 4), new ContextField("family", 4, 4), new ContextField("type", 8, 4),
        new ContextField("protocol", 12, 4), new ContextField("mark", 16, 4), new ContextField("priority", 20, 4),
        new ContextField("src_ip4", 24, 4), new ContextField("src_ip6", 28, 16), new ContextField("src_port", 44, 4),
        new ContextField("dst_port", 48, 2), new ContextField("dst_ip4", 52, 4), new ContextField("dst_ip6", 56, 16),
        new ContextField("state", 72, 4), new ContextField("rx_queue_mapping", 76, 4),
    });

    /// <summary>u64 args[] of raw_tp/tp_btf/fentry/struct_ops programs, one scalar per argument unless told otherwise.</summary>
    public static ContextLayout Arguments(int count, IReadOnlyList<ContextArgument>? args = null)
    {
        var f = new List<ContextField>();
        for (int i = 0; i < count; i++)
        {
            var a = args != null && i < args.Count ? args[i] : null;
            f.Add(new ContextField(a?.Name ?? $"arg{i}", i * 8, 8, a?.IsPointer == true ? RegType.PtrToBtfId : RegType.Scalar));
        }
        return new ContextLayout("args", count * 8, f) { IsArgumentArray = true };
    }

    /// <summary>The default context for a program type (attach type picks sockopt get/set).</summary>
    public static ContextLayout For(VerifierProgramType type, VerifierAttachType attach) => type switch
    {
        VerifierProgramType.Xdp => XdpMd,
        VerifierProgramType.SocketFilter => SkBuffSocketFilter,
        VerifierProgramType.CgroupSkb => SkBuffCgroup,
        VerifierProgramType.SchedCls or VerifierProgramType.SchedAct => SkBuffTc,
        VerifierProgramType.SockOps => SockOps,
        VerifierProgramType.CgroupSysctl => Sysctl,
        VerifierProgramType.CgroupSockopt => Sockopt(attach == VerifierAttachType.CgroupGetsockopt),
        _ => Arguments(12),
    };
}

/// <summary>A tracing/struct_ops argument: a scalar, or a pointer to the BTF struct <see cref="StructName"/>.</summary>
public sealed record ContextArgument(string Name, bool IsPointer, uint BtfTypeId = 0, string StructName = "", int StructSize = 0);
