using System;

namespace CSharpBpf;

/// <summary>
/// Thrown when a BPF-only API (a map operation, a kernel helper) is called from ordinary .NET code:
/// these members only have a meaning inside a compiled program.
/// </summary>
public sealed class BpfOnlyException : InvalidOperationException
{
    public BpfOnlyException(string member)
        : base($"{member} exists only inside a compiled BPF program; run the program in the CSharpBpf VM or load it into the kernel instead of calling it from .NET.")
    {
    }

    internal static BpfOnlyException For(string member) => new(member);
}

/// <summary>The flags of map update (BPF_ANY, BPF_NOEXIST, BPF_EXIST).</summary>
public enum MapUpdate : ulong
{
    Any = 0,
    NoExist = 1,
    Exist = 2,
}
