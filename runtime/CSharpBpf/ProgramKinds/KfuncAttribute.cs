using System;

namespace CSharpBpf;

/// <summary>
/// Declares a kernel function (kfunc) a program may call: put it on a <c>static</c> method (an
/// <c>extern</c> one, or one whose body only throws, as in <see cref="Kfuncs"/>) whose name is the
/// kernel function's and whose parameters use the kernel types of <c>CSharpBpf.Kernel</c>. The
/// compiler emits <c>call</c> with an extern FUNC in <c>.ksyms</c> (clang's <c>__ksym</c>); the
/// loader resolves it by name against the running kernel's BTF.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class KfuncAttribute : Attribute
{
    /// <summary>The kernel name, when it differs from the method's.</summary>
    public string? Name { get; set; }
}
