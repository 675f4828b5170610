namespace CSharpBpf.Verifier;

/// <summary>The program types the managed verifier models (values = the kernel's enum bpf_prog_type).</summary>
public enum VerifierProgramType : uint
{
    SocketFilter = 1,
    SchedCls = 3,
    SchedAct = 4,
    Xdp = 6,
    CgroupSkb = 8,
    SockOps = 13,
    RawTracepoint = 17,
    CgroupSysctl = 23,
    CgroupSockopt = 25,
    Tracing = 26,
    StructOps = 27,
}

/// <summary>The expected attach types that change what the verifier allows (return ranges, ctx fields).</summary>
public enum VerifierAttachType
{
    None,
    CgroupInetIngress,
    CgroupInetEgress,
    CgroupGetsockopt,
    CgroupSetsockopt,
}

/// <summary>Maps libbpf section names to program types, as libbpf's section table does.</summary>
public static class SectionProgramTypes
{
    public static bool TryGet(string section, out VerifierProgramType type, out VerifierAttachType attach)
    {
        attach = VerifierAttachType.None;
        string kind = section.IndexOf('/') is var i && i >= 0 ? section.Substring(0, i) : section;
        switch (kind)
        {
            case "xdp": type = VerifierProgramType.Xdp; return true;
            case "socket": type = VerifierProgramType.SocketFilter; return true;
            case "tc": case "classifier": case "tcx": type = VerifierProgramType.SchedCls; return true;
            case "action": type = VerifierProgramType.SchedAct; return true;
            case "sockops": type = VerifierProgramType.SockOps; return true;
            case "struct_ops": type = VerifierProgramType.StructOps; return true;
            case "raw_tp": case "raw_tracepoint": type = VerifierProgramType.RawTracepoint; return true;
            case "tp_btf": case "fentry": case "fexit": type = VerifierProgramType.Tracing; return true;
            case "cgroup_skb":
                type = VerifierProgramType.CgroupSkb;
                attach = section.EndsWith("/egress") ? VerifierAttachType.CgroupInetEgress : VerifierAttachType.CgroupInetIngress;
                return true;
            case "cgroup":
                if (section == "cgroup/sysctl") { type = VerifierProgramType.CgroupSysctl; return true; }
                if (section == "cgroup/getsockopt") { type = VerifierProgramType.CgroupSockopt; attach = VerifierAttachType.CgroupGetsockopt; return true; }
                if (section == "cgroup/setsockopt") { type = VerifierProgramType.CgroupSockopt; attach = VerifierAttachType.CgroupSetsockopt; return true; }
                break;
        }
        type = default;
        return false;
    }
}
