namespace CSharpBpf.Object.Btf;

/// <summary>Constants of include/uapi/linux/btf.h.</summary>
internal static class BtfFormat
{
    public const ushort Magic = 0xeB9F;
    public const byte Version = 1;
    public const int HeaderSize = 24;
    public const int TypeRecordSize = 12;
    public const uint MaxType = 0x000fffff;
    public const uint MaxNameOffset = 0x00ffffff;
    public const int MaxVlen = 0xffff;
    public const int MaxKind = (int)BtfKind.Enum64;

    /// <summary>Bytes after the 12-byte btf_type that the kind carries, per vlen entry or fixed.</summary>
    public static int ExtraSize(BtfKind kind, int vlen) => kind switch
    {
        BtfKind.Int => 4,
        BtfKind.Array => 12,
        BtfKind.Struct or BtfKind.Union => 12 * vlen,
        BtfKind.Enum => 8 * vlen,
        BtfKind.Enum64 => 12 * vlen,
        BtfKind.FuncProto => 8 * vlen,
        BtfKind.Var => 4,
        BtfKind.Datasec => 12 * vlen,
        BtfKind.DeclTag => 4,
        _ => 0,
    };
}

/// <summary>Reads fixed-size integers of either byte order with explicit bounds (callers check ranges first).</summary>
internal readonly struct EndianBytes
{
    public EndianBytes(byte[] data, bool bigEndian)
    {
        Data = data;
        BigEndian = bigEndian;
    }

    public byte[] Data { get; }
    public bool BigEndian { get; }

    public ushort U16(int o) => BigEndian
        ? (ushort)(Data[o] << 8 | Data[o + 1])
        : (ushort)(Data[o] | Data[o + 1] << 8);

    public uint U32(int o) => BigEndian
        ? (uint)(Data[o] << 24 | Data[o + 1] << 16 | Data[o + 2] << 8 | Data[o + 3])
        : (uint)(Data[o] | Data[o + 1] << 8 | Data[o + 2] << 16 | Data[o + 3] << 24);
}
