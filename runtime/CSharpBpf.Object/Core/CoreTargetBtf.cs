using System;
using System.Collections.Generic;
using BtfModel = CSharpBpf.Object.Btf.Btf;

namespace CSharpBpf.Object.Core;

/// <summary>
/// The BTF a CO-RE relocation is resolved against: a primary BTF (a kernel's vmlinux) and further
/// BTFs (its modules' split BTF) that are searched only when the primary has no candidate of the
/// local type's essential name, as libbpf does. The further BTFs are enumerated on demand, so a
/// loader can read module BTF lazily.
/// </summary>
public sealed class CoreTargetBtf
{
    private readonly IEnumerable<BtfModel> _fallbacks;

    public CoreTargetBtf(BtfModel primary, IEnumerable<BtfModel>? fallbacks = null)
    {
        Primary = primary ?? throw new ArgumentNullException(nameof(primary));
        _fallbacks = fallbacks ?? Array.Empty<BtfModel>();
    }

    public BtfModel Primary { get; }

    /// <summary>Searched in order when <see cref="Primary"/> has no candidate; only their own types count (not a split BTF's base).</summary>
    public IEnumerable<BtfModel> Fallbacks => _fallbacks;
}
