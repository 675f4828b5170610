namespace CSharpBpf.Object.Objects;

/// <summary>Bounds-checked u32/u64 reads of a section's bytes, reporting file offsets.</summary>
internal sealed class ElfByteReaderView
{
    private readonly byte[] _data;
    private readonly bool _bigEndian;
    private readonly long _fileOffset;

    public ElfByteReaderView(byte[] data, bool bigEndian, long fileOffset)
    {
        _data = data;
        _bigEndian = bigEndian;
        _fileOffset = fileOffset;
    }

    public uint U32(ulong at)
    {
        if (at > (ulong)_data.Length || 4 > (ulong)_data.Length - at)
            throw new BpfFormatException("ELF", _fileOffset + (long)at, "4 bytes inside the section");
        int i = (int)at;
        return _bigEndian
            ? (uint)(_data[i] << 24 | _data[i + 1] << 16 | _data[i + 2] << 8 | _data[i + 3])
            : (uint)(_data[i] | _data[i + 1] << 8 | _data[i + 2] << 16 | _data[i + 3] << 24);
    }

    public ulong U64(ulong at)
    {
        ulong a = U32(at), b = U32(at + 4);
        return _bigEndian ? a << 32 | b : b << 32 | a;
    }
}
