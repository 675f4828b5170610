using System;
using CSharpBpf.Linux.Programs;

namespace CSharpBpf.Linux.Links;

/// <summary>
/// Attaches a program the way its section says (libbpf's auto-attach), for skeletons and the CLI:
/// cgroup kinds to a cgroup v2 directory, XDP to an interface, raw_tp/tp_btf/fentry/fexit/lsm by
/// their BTF or tracepoint name. Returns what undoes it.
/// </summary>
public static class AutoAttach
{
    public static IDisposable Attach(BpfProgram program, string? target = null, CgroupAttachFlags cgroupFlags = CgroupAttachFlags.AllowMulti)
    {
        switch (program.Type)
        {
            case BpfProgramType.CgroupSkb:
            case BpfProgramType.CgroupSock:
            case BpfProgramType.CgroupSockAddr:
            case BpfProgramType.CgroupSockopt:
            case BpfProgramType.CgroupSysctl:
            case BpfProgramType.CgroupDevice:
            case BpfProgramType.SockOps:
                if (target is null) throw new ArgumentException($"program '{program.Name}' ({program.SectionName}) attaches to a cgroup: give the cgroup v2 directory");
                if (program.ExpectedAttachType == BpfAttachType.None)
                    throw new ArgumentException($"program '{program.Name}' (section '{program.SectionName}') does not say which cgroup hook it is for (use e.g. cgroup_skb/egress)");
                return Links.Attach.Cgroup(program, target, program.ExpectedAttachType, cgroupFlags);
            case BpfProgramType.Xdp:
                if (target is null) throw new ArgumentException($"XDP program '{program.Name}' needs an interface name");
                return Links.Attach.Xdp(program, target);
            case BpfProgramType.RawTracepoint:
            case BpfProgramType.RawTracepointWritable:
                return Links.Attach.RawTracepoint(program, target ?? program.AttachTo
                    ?? throw new ArgumentException($"raw_tp program '{program.Name}' needs a tracepoint name"));
            case BpfProgramType.Tracing:
            case BpfProgramType.Lsm:
                return Links.Attach.Tracing(program);
            case BpfProgramType.StructOps:
                throw new InvalidOperationException($"struct_ops program '{program.Name}' is attached by registering its struct_ops map (BpfObject.StructOps[...].Register())");
            default:
                throw new NotSupportedException($"no automatic attach for {program.Type} program '{program.Name}' (section '{program.SectionName}'); use CSharpBpf.Linux.Links.Attach directly");
        }
    }
}
