using System;

namespace CSharpBpf;

/// <summary>
/// Makes a <c>static partial</c> class one instance of a kernel ops struct, e.g.
/// <c>[StructOps("tcp_congestion_ops", Name = "csreno")]</c>: every static method named like one of
/// the struct's function-pointer members (or marked <see cref="StructOpsMemberAttribute"/>) is
/// compiled as the <c>struct_ops/&lt;member&gt;</c> program implementing it, with the member's
/// argument types (read from the context as the kernel passes them: one u64 per argument). The
/// object gets the <c>.struct_ops</c> (or <c>.struct_ops.link</c>) variable named
/// <see cref="Name"/>, whose <c>name</c> field is also <see cref="Name"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class StructOpsAttribute : Attribute
{
    public StructOpsAttribute(string kernelType) => KernelType = kernelType;

    /// <summary>The kernel's ops struct (a type of <c>CSharpBpf.Kernel</c>), e.g. "tcp_congestion_ops".</summary>
    public string KernelType { get; }

    /// <summary>The instance's name: the variable (map) name, and the ops' <c>name</c> field (e.g. the congestion control's name, at most 15 characters).</summary>
    public string? Name { get; set; }

    /// <summary>Emit in <c>.struct_ops.link</c> (attached through a BPF link) instead of <c>.struct_ops</c>.</summary>
    public bool Link { get; set; }
}

/// <summary>Names the ops member a struct_ops method implements when its method name differs.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class StructOpsMemberAttribute : Attribute
{
    public StructOpsMemberAttribute(string member) => Member = member;

    public string Member { get; }
}
