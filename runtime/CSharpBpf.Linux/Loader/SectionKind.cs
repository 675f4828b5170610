using System;
using CSharpBpf.Linux.Programs;

namespace CSharpBpf.Linux.Loader;

/// <summary>What a libbpf program section name means: program type, expected attach type, attach target.</summary>
public sealed record SectionKind(BpfProgramType Type, BpfAttachType ExpectedAttachType, string? AttachTo)
{
    /// <summary>Sections whose program needs a kernel BTF attach target (resolved at load).</summary>
    public bool NeedsKernelAttachBtf => Type is BpfProgramType.Tracing or BpfProgramType.Lsm;

    /// <summary>Maps a section name as libbpf does (the kinds CSharpBpf emits, plus common aliases); null when unknown.</summary>
    public static SectionKind? Parse(string section)
    {
        static string? After(string s, string prefix) =>
            s.StartsWith(prefix, StringComparison.Ordinal) && s.Length > prefix.Length ? s.Substring(prefix.Length) : null;

        switch (section)
        {
            case "socket": return new(BpfProgramType.SocketFilter, BpfAttachType.None, null);
            case "sockops": return new(BpfProgramType.SockOps, BpfAttachType.CgroupSockOps, null);
            case "cgroup_skb/ingress": return new(BpfProgramType.CgroupSkb, BpfAttachType.CgroupInetIngress, null);
            case "cgroup_skb/egress": return new(BpfProgramType.CgroupSkb, BpfAttachType.CgroupInetEgress, null);
            case "cgroup/skb": return new(BpfProgramType.CgroupSkb, BpfAttachType.None, null);
            case "cgroup/sysctl": return new(BpfProgramType.CgroupSysctl, BpfAttachType.CgroupSysctl, null);
            case "cgroup/getsockopt": return new(BpfProgramType.CgroupSockopt, BpfAttachType.CgroupGetsockopt, null);
            case "cgroup/setsockopt": return new(BpfProgramType.CgroupSockopt, BpfAttachType.CgroupSetsockopt, null);
            case "cgroup/sock_create": case "cgroup/sock": return new(BpfProgramType.CgroupSock, BpfAttachType.CgroupInetSockCreate, null);
            case "cgroup/sock_release": return new(BpfProgramType.CgroupSock, BpfAttachType.CgroupInetSockRelease, null);
            case "cgroup/connect4": return new(BpfProgramType.CgroupSockAddr, BpfAttachType.CgroupInet4Connect, null);
            case "cgroup/connect6": return new(BpfProgramType.CgroupSockAddr, BpfAttachType.CgroupInet6Connect, null);
            case "cgroup/bind4": return new(BpfProgramType.CgroupSockAddr, BpfAttachType.CgroupInet4Bind, null);
            case "cgroup/bind6": return new(BpfProgramType.CgroupSockAddr, BpfAttachType.CgroupInet6Bind, null);
            case "cgroup/dev": return new(BpfProgramType.CgroupDevice, BpfAttachType.CgroupDevice, null);
            case "xdp": case "xdp.frags": return new(BpfProgramType.Xdp, BpfAttachType.Xdp, null);
            case "xdp/devmap": return new(BpfProgramType.Xdp, BpfAttachType.XdpDevmap, null);
            case "xdp/cpumap": return new(BpfProgramType.Xdp, BpfAttachType.XdpCpumap, null);
            case "tc": case "classifier": case "tc/ingress": case "tc/egress": return new(BpfProgramType.SchedCls, BpfAttachType.None, null);
            case "action": return new(BpfProgramType.SchedAct, BpfAttachType.None, null);
            case "sk_lookup": return new(BpfProgramType.SkLookup, BpfAttachType.SkLookup, null);
            case "flow_dissector": return new(BpfProgramType.FlowDissector, BpfAttachType.FlowDissector, null);
            case "syscall": return new(BpfProgramType.Syscall, BpfAttachType.None, null);
            case "struct_ops": case "struct_ops.s": return new(BpfProgramType.StructOps, BpfAttachType.None, null);
        }
        string? t;
        if ((t = After(section, "raw_tp/") ?? After(section, "raw_tracepoint/")) is not null)
            return new(BpfProgramType.RawTracepoint, BpfAttachType.None, t);
        if ((t = After(section, "raw_tp.w/") ?? After(section, "raw_tracepoint.w/")) is not null)
            return new(BpfProgramType.RawTracepointWritable, BpfAttachType.None, t);
        if ((t = After(section, "tp_btf/")) is not null) return new(BpfProgramType.Tracing, BpfAttachType.TraceRawTp, t);
        if ((t = After(section, "fentry/") ?? After(section, "fentry.s/")) is not null) return new(BpfProgramType.Tracing, BpfAttachType.TraceFentry, t);
        if ((t = After(section, "fexit/") ?? After(section, "fexit.s/")) is not null) return new(BpfProgramType.Tracing, BpfAttachType.TraceFexit, t);
        if ((t = After(section, "fmod_ret/") ?? After(section, "fmod_ret.s/")) is not null) return new(BpfProgramType.Tracing, BpfAttachType.ModifyReturn, t);
        if ((t = After(section, "lsm/") ?? After(section, "lsm.s/")) is not null) return new(BpfProgramType.Lsm, BpfAttachType.LsmMac, t);
        if ((t = After(section, "freplace/")) is not null) return new(BpfProgramType.Ext, BpfAttachType.None, t);
        if ((t = After(section, "struct_ops/") ?? After(section, "struct_ops.s/")) is not null) return new(BpfProgramType.StructOps, BpfAttachType.None, null);
        if ((t = After(section, "tracepoint/") ?? After(section, "tp/")) is not null) return new(BpfProgramType.Tracepoint, BpfAttachType.None, t);
        if ((t = After(section, "kprobe/") ?? After(section, "kretprobe/")) is not null) return new(BpfProgramType.Kprobe, BpfAttachType.None, t);
        if (section.StartsWith("xdp/", StringComparison.Ordinal)) return new(BpfProgramType.Xdp, BpfAttachType.Xdp, null);
        if (section.StartsWith("socket/", StringComparison.Ordinal)) return new(BpfProgramType.SocketFilter, BpfAttachType.None, null);
        return null;
    }
}
