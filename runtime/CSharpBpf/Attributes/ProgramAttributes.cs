using System;

namespace CSharpBpf;

/// <summary>
/// Base of every program-kind attribute. A static method of a <c>static partial</c> class that
/// carries one of these is compiled to one eBPF program in the ELF section <see cref="Section"/>
/// (libbpf's spelling, so libbpf-family loaders and bpftool accept our objects).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public abstract class BpfProgramAttribute : Attribute
{
    /// <summary>The libbpf section name the program is emitted in.</summary>
    public abstract string Section { get; }
}

/// <summary>An XDP program: <c>static XdpAction M(xdp_md* ctx)</c> (or <c>int</c>). Section <c>xdp</c>.</summary>
public sealed class XdpAttribute : BpfProgramAttribute
{
    public override string Section => "xdp";
}

/// <summary>A socket filter: <c>static int M(__sk_buff* skb)</c> returning the bytes to keep. Section <c>socket</c>.</summary>
public sealed class SocketFilterAttribute : BpfProgramAttribute
{
    public override string Section => "socket";
}

/// <summary>Which way a cgroup_skb program sees packets.</summary>
public enum CgroupSkbDirection
{
    Ingress,
    Egress,
}

/// <summary>A cgroup socket-buffer program: <c>static int M(__sk_buff* skb)</c> returning 1 (allow) or 0 (drop).
/// Section <c>cgroup_skb/ingress</c> or <c>cgroup_skb/egress</c>.</summary>
public sealed class CgroupSkbAttribute : BpfProgramAttribute
{
    public CgroupSkbAttribute(CgroupSkbDirection direction) => Direction = direction;

    public CgroupSkbDirection Direction { get; }

    public override string Section => Direction == CgroupSkbDirection.Ingress ? "cgroup_skb/ingress" : "cgroup_skb/egress";
}

/// <summary>A traffic-control classifier/action: <c>static int M(__sk_buff* skb)</c> returning a TC_ACT_* code. Section <c>tc</c>.</summary>
public sealed class SchedClsAttribute : BpfProgramAttribute
{
    public override string Section => "tc";
}
