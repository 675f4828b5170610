using System.Collections.Generic;
using CSharpBpf.CompilerComparison.Programs;

namespace CSharpBpf.CompilerComparison;

/// <summary>One program compared: the C# class's object (built by the generator) against its C twin in bench/twins.</summary>
public sealed record Case(string Name, string Kind, BpfObjectDescription CSharp, string Program, string Twin);

public static class Cases
{
    /// <summary>Issue 3's packet and cgroup kinds. Issue 4's kinds join as their C# API lands.</summary>
    public static IReadOnlyList<Case> All { get; } = new[]
    {
        new Case("xdp_parse", "xdp", XdpParse.BpfObject, "parse_udp", "xdp_parse"),
        new Case("hash_counter", "xdp", HashCounter.BpfObject, "count_by_ifindex", "hash_counter"),
        new Case("socket_filter", "socket", SocketFilter.BpfObject, "keep_ipv4", "socket_filter"),
        new Case("cgroup_egress", "cgroup_skb", CgroupEgress.BpfObject, "egress_quota", "cgroup_egress"),
        new Case("checksum", "xdp", Checksum.BpfObject, "ipv4_checksum", "checksum"),
        new Case("payload_sum", "xdp", PayloadSum.BpfObject, "weighted_sum", "payload_sum"),
        new Case("subprogram_call", "xdp", SubprogramCall.BpfObject, "flow_bucket", "subprogram_call"),
        new Case("tc_switch", "tc", TcSwitch.BpfObject, "mark_by_protocol", "tc_switch"),
    };
}
