using System;

namespace CSharpBpf;

/// <summary>A sock_ops program: <c>static int M(bpf_sock_ops* ctx)</c>; reads <c>ctx->op</c>, replies through
/// <c>ctx->reply</c>. Section <c>sockops</c>.</summary>
public sealed class SockOpsAttribute : BpfProgramAttribute
{
    public override string Section => "sockops";
}

/// <summary>A cgroup sysctl hook: <c>static int M(bpf_sysctl* ctx)</c> returning 1 (allow) or 0 (deny). Section <c>cgroup/sysctl</c>.</summary>
public sealed class CgroupSysctlAttribute : BpfProgramAttribute
{
    public override string Section => "cgroup/sysctl";
}

/// <summary>Which socket option call a cgroup sockopt program sees.</summary>
public enum SockoptDirection
{
    Get,
    Set,
}

/// <summary>A cgroup get/setsockopt hook: <c>static int M(bpf_sockopt* ctx)</c> returning 1 (proceed) or 0 (EPERM).
/// Section <c>cgroup/getsockopt</c> or <c>cgroup/setsockopt</c>.</summary>
public sealed class CgroupSockoptAttribute : BpfProgramAttribute
{
    public CgroupSockoptAttribute(SockoptDirection direction) => Direction = direction;

    public SockoptDirection Direction { get; }

    public override string Section => Direction == SockoptDirection.Get ? "cgroup/getsockopt" : "cgroup/setsockopt";
}

/// <summary>Base of the programs whose C# parameters are the kernel's arguments (clang's BPF_PROG):
/// each parameter is read from the u64 context array.</summary>
public abstract class ArgumentsProgramAttribute : BpfProgramAttribute
{
    protected ArgumentsProgramAttribute(string prefix, string target)
    {
        Target = target ?? throw new ArgumentNullException(nameof(target));
        Section = prefix + "/" + target;
    }

    /// <summary>The tracepoint or kernel function attached to.</summary>
    public string Target { get; }

    public override string Section { get; }
}

/// <summary>A raw tracepoint: <c>static int M(ulong arg0, ...)</c> (the tracepoint's raw arguments). Section <c>raw_tp/&lt;name&gt;</c>.</summary>
public sealed class RawTracepointAttribute : ArgumentsProgramAttribute
{
    public RawTracepointAttribute(string name) : base("raw_tp", name) { }
}

/// <summary>A BTF-typed tracepoint: <c>static int M(args...)</c> with the tracepoint's typed arguments. Section <c>tp_btf/&lt;name&gt;</c>.</summary>
public sealed class TpBtfAttribute : ArgumentsProgramAttribute
{
    public TpBtfAttribute(string name) : base("tp_btf", name) { }
}

/// <summary>fentry: runs on entry of kernel function <c>fn</c>, with its arguments. Section <c>fentry/&lt;fn&gt;</c>.</summary>
public sealed class FentryAttribute : ArgumentsProgramAttribute
{
    public FentryAttribute(string function) : base("fentry", function) { }
}

/// <summary>fexit: runs on return of kernel function <c>fn</c>, with its arguments then its return value. Section <c>fexit/&lt;fn&gt;</c>.</summary>
public sealed class FexitAttribute : ArgumentsProgramAttribute
{
    public FexitAttribute(string function) : base("fexit", function) { }
}

/// <summary>
/// A program extension (freplace): replaces the <c>[Global]</c> function <c>function</c> of the BPF class
/// <c>target</c> once that class's program is loaded; same signature as the replaced function.
/// Section <c>freplace/&lt;function&gt;</c>.
/// </summary>
public sealed class ExtensionAttribute : BpfProgramAttribute
{
    public ExtensionAttribute(Type target, string function)
    {
        TargetClass = target ?? throw new ArgumentNullException(nameof(target));
        Function = function ?? throw new ArgumentNullException(nameof(function));
    }

    public Type TargetClass { get; }
    public string Function { get; }
    public override string Section => "freplace/" + Function;
}
