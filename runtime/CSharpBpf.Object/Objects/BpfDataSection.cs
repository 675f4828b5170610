using System;
using System.Collections.Generic;

namespace CSharpBpf.Object.Objects;

/// <summary>A variable (OBJECT symbol) in a data section.</summary>
public sealed class BpfDataVariable
{
    public BpfDataVariable(string name, ulong offset, ulong size, bool isGlobal)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Offset = offset;
        Size = size;
        IsGlobal = isGlobal;
    }

    public string Name { get; }
    public ulong Offset { get; }
    public ulong Size { get; }
    public bool IsGlobal { get; }

    public override string ToString() => $"{Name} @{Offset} size={Size}";
}

/// <summary>
/// A global-data section (.data, .rodata, .bss and ".name" variants). A loader turns each into a
/// one-entry array map whose value is these bytes; .bss has no bytes in the file (all zero).
/// </summary>
public sealed class BpfDataSection
{
    public BpfDataSection(string name, byte[] data, ulong size, ulong alignment, bool isReadOnly,
        IReadOnlyList<BpfDataVariable> variables)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Data = data ?? throw new ArgumentNullException(nameof(data));
        Size = size;
        Alignment = alignment;
        IsReadOnly = isReadOnly;
        Variables = variables ?? throw new ArgumentNullException(nameof(variables));
    }

    public string Name { get; }
    /// <summary>The initial bytes (empty for .bss: zero-filled to <see cref="Size"/>).</summary>
    public byte[] Data { get; }
    public ulong Size { get; }
    public ulong Alignment { get; }
    public bool IsReadOnly { get; }
    public bool IsBss => Data.Length == 0 && Size > 0;
    public IReadOnlyList<BpfDataVariable> Variables { get; }
}
