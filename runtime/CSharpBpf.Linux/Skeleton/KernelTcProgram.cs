using System;
using CSharpBpf.Linux.Links;
using CSharpBpf.Linux.Loader;
using CSharpBpf.Linux.Native;
using CSharpBpf.Linux.Programs;

namespace CSharpBpf.Linux.Skeleton;

/// <summary>Which way of an interface a tc program sees packets.</summary>
public enum TcDirection { Ingress, Egress }

/// <summary>
/// A tc classifier (section "tc"), attached to an interface through a tcx link (BPF_LINK_CREATE with
/// BPF_TCX_INGRESS/EGRESS, Linux 6.6+): no qdisc to set up, appended after any programs already there,
/// detached when the link is disposed.
/// </summary>
public sealed class KernelTcProgram : KernelProgramHandle
{
    public KernelTcProgram(BpfObject obj, string name) : base(obj, name) { }

    public BpfLink Attach(int ifindex, TcDirection direction = TcDirection.Ingress)
    {
        var program = Program;
        var type = direction == TcDirection.Ingress ? BpfAttachType.TcxIngress : BpfAttachType.TcxEgress;
        var attr = new LinkCreateAttr { ProgFd = (uint)program.Fd.Value, TargetFdOrIfindex = (uint)ifindex, AttachType = (uint)type };
        string what = $"program '{Name}' → tcx {direction.ToString().ToLowerInvariant()} ifindex {ifindex}";
        return new BpfLink(BpfSyscall.InvokeFd(BpfCommand.LinkCreate, ref attr, what), what);
    }

    public BpfLink Attach(string interfaceName, TcDirection direction = TcDirection.Ingress)
    {
        uint ifindex = Libc.if_nametoindex(interfaceName);
        if (ifindex == 0) throw new BpfSyscallException("if_nametoindex", Libc.LastErrno, $"interface '{interfaceName}'");
        return Attach((int)ifindex, direction);
    }
}
