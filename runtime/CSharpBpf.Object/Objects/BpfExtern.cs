using System;

namespace CSharpBpf.Object.Objects;

public enum BpfExternKind
{
    /// <summary>An extern function (__ksym kfunc).</summary>
    Function,
    /// <summary>An extern variable (__ksym kernel variable or .kconfig value).</summary>
    Variable,
}

/// <summary>An undefined symbol the loader resolves against the kernel (kfuncs, ksyms, kconfig).</summary>
public sealed class BpfExtern
{
    public BpfExtern(string name, BpfExternKind kind, bool isWeak, uint btfTypeId, string btfSection)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Kind = kind;
        IsWeak = isWeak;
        BtfTypeId = btfTypeId;
        BtfSection = btfSection ?? throw new ArgumentNullException(nameof(btfSection));
    }

    public string Name { get; }
    public BpfExternKind Kind { get; }
    /// <summary>__weak externs may be absent from the kernel.</summary>
    public bool IsWeak { get; }
    /// <summary>The object's BTF FUNC (extern linkage) or VAR describing it; 0 when the object has no BTF for it.</summary>
    public uint BtfTypeId { get; }
    /// <summary>The DATASEC listing it (".ksyms", ".kconfig") or "" when none.</summary>
    public string BtfSection { get; }

    public override string ToString() => $"extern {Kind} {Name}" + (BtfSection.Length > 0 ? $" ({BtfSection})" : "");
}
