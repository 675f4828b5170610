using System.Collections.Generic;

namespace CSharpBpf.Object.Btf;

/// <summary>One enumerator. <see cref="Value"/> holds the value as the enum's signedness reads it.</summary>
public sealed class BtfEnumValue : BtfNamedItem
{
    public BtfEnumValue(string name, long value) : base(name) => Value = value;

    public long Value { get; set; }

    public override string ToString() => $"'{Name}' val={Value}";
}

/// <summary>ENUM (32-bit values) and ENUM64 (64-bit values): <see cref="Size"/> bytes, kind_flag = signed.</summary>
public abstract class BtfEnumBase : BtfType
{
    protected BtfEnumBase(string? name, uint size, bool isSigned) : base(name)
    {
        Size = size;
        KindFlag = isSigned;
    }

    public uint Size { get; set; }

    public bool IsSigned
    {
        get => KindFlag;
        set => KindFlag = value;
    }

    public List<BtfEnumValue> Values { get; } = new();

    /// <summary>Adds an enumerator (builder API).</summary>
    public BtfEnumValue AddValue(string name, long value)
    {
        var v = new BtfEnumValue(name, value);
        Values.Add(v);
        return v;
    }

    public BtfEnumValue? FindValue(string name)
    {
        foreach (var v in Values)
            if (v.Name == name) return v;
        return null;
    }
}

/// <summary>ENUM: values are 32-bit (s32 when signed, u32 otherwise).</summary>
public sealed class BtfEnum : BtfEnumBase
{
    public BtfEnum(string name, uint size = 4, bool isSigned = false) : base(name, size, isSigned)
    {
    }

    public override BtfKind Kind => BtfKind.Enum;
}

/// <summary>ENUM64: values are 64-bit (stored as lo32/hi32).</summary>
public sealed class BtfEnum64 : BtfEnumBase
{
    public BtfEnum64(string name, uint size = 8, bool isSigned = false) : base(name, size, isSigned)
    {
    }

    public override BtfKind Kind => BtfKind.Enum64;
}
