using System;

namespace CSharpBpf;

/// <summary>
/// Declares a kernel helper by its UAPI id (enum bpf_func_id) on a static method whose parameters
/// are the helper's (integers widened to u64, pointers as they are). The compiler lowers a call to
/// <c>call &lt;id&gt;</c>; the method's native body is never run.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class HelperAttribute : Attribute
{
    public HelperAttribute(int id) => Id = id;

    public int Id { get; }
}
