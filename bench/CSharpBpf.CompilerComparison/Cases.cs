using System;
using System.Collections.Generic;
using System.Reflection;
using CSharpBpf.CompilerComparison.Programs;

namespace CSharpBpf.CompilerComparison;

/// <summary>One program compared: the C# class's object (built by the generator) against its C twin in bench/twins.</summary>
public sealed record Case(string Name, string Kind, Type CSharpClass, string Program, string Twin)
{
    /// <summary>
    /// The generated skeleton's <c>BpfObject</c>, found by reflection so a class the generator does not
    /// (yet) compile still builds: its row then says so instead of breaking the benchmark.
    /// </summary>
    public BpfObjectDescription? CSharp =>
        CSharpClass.GetProperty("BpfObject", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as BpfObjectDescription;
}

public static class Cases
{
    /// <summary>Issue 3's packet and cgroup kinds, then issue 4's kinds as their C# API lands.</summary>
    public static IReadOnlyList<Case> All { get; } = new[]
    {
        new Case("xdp_parse", "xdp", typeof(XdpParse), "parse_udp", "xdp_parse"),
        new Case("hash_counter", "xdp", typeof(HashCounter), "count_by_ifindex", "hash_counter"),
        new Case("socket_filter", "socket", typeof(SocketFilter), "keep_ipv4", "socket_filter"),
        new Case("cgroup_egress", "cgroup_skb", typeof(CgroupEgress), "egress_quota", "cgroup_egress"),
        new Case("checksum", "xdp", typeof(Checksum), "ipv4_checksum", "checksum"),
        new Case("payload_sum", "xdp", typeof(PayloadSum), "weighted_sum", "payload_sum"),
        new Case("subprogram_call", "xdp", typeof(SubprogramCall), "flow_bucket", "subprogram_call"),
        new Case("tc_switch", "tc", typeof(TcSwitch), "mark_by_protocol", "tc_switch"),
        // Issue 4's kinds.
        new Case("sockops_reply", "sockops", typeof(SockOpsReply), "sockops_reply", "sockops_reply"),
        new Case("sysctl_guard", "cgroup/sysctl", typeof(SysctlGuard), "sysctl_guard", "sysctl_guard"),
        new Case("sockopt_rewrite", "cgroup/getsockopt", typeof(SockoptRewrite), "getsockopt_ttl", "sockopt_rewrite"),
        new Case("syscall_counter", "raw_tp", typeof(SyscallCounter), "count_syscalls", "syscall_counter"),
        new Case("reno_cong_avoid", "struct_ops", typeof(RenoCc), "cong_avoid", "reno_cc"),
        new Case("reno_ssthresh", "struct_ops", typeof(RenoCc), "ssthresh", "reno_cc"),
        new Case("reno_undo_cwnd", "struct_ops", typeof(RenoCc), "undo_cwnd", "reno_cc"),
    };
}
