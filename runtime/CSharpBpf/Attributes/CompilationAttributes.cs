using System;

namespace CSharpBpf;

/// <summary>
/// Emits a static method as a BTF global function (BTF_FUNC_GLOBAL): the verifier checks it once on
/// its own from its signature, rather than at every call site, and a program extension may replace it.
/// Its parameters and return must be scalars or pointers; it is never inlined.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class GlobalAttribute : Attribute
{
}

/// <summary>
/// Fully unrolls every loop of the method whose trip count is a compile-time constant (kernels before
/// 5.3 reject back-edges; later kernels accept bounded loops, so this is opt-in).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class UnrollAttribute : Attribute
{
}

/// <summary>Forces a static method or local function to be inlined at every call (or, with false, never).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class InlineAttribute : Attribute
{
    public InlineAttribute(bool inline = true) => Inline = inline;

    public bool Inline { get; }
}

/// <summary>The license string of the object's <c>license</c> section; GPL-only helpers (trace_printk,
/// probe_read_kernel, …) need a GPL-compatible one. Default when absent: "GPL".</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class LicenseAttribute : Attribute
{
    public LicenseAttribute(string license) => License = license;

    public string License { get; }
}
