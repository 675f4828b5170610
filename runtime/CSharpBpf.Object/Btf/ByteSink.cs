using System;

namespace CSharpBpf.Object.Btf;

/// <summary>A growable byte buffer writing fixed-size integers in one chosen byte order.</summary>
internal sealed class ByteSink
{
    private byte[] _buffer;

    public ByteSink(bool bigEndian, int capacity = 256)
    {
        BigEndian = bigEndian;
        _buffer = new byte[Math.Max(16, capacity)];
    }

    public bool BigEndian { get; }
    public int Length { get; private set; }

    public void U8(byte v)
    {
        Ensure(1);
        _buffer[Length++] = v;
    }

    public void U16(ushort v)
    {
        Ensure(2);
        if (BigEndian)
        {
            _buffer[Length] = (byte)(v >> 8);
            _buffer[Length + 1] = (byte)v;
        }
        else
        {
            _buffer[Length] = (byte)v;
            _buffer[Length + 1] = (byte)(v >> 8);
        }
        Length += 2;
    }

    public void U32(uint v)
    {
        Ensure(4);
        if (BigEndian)
        {
            _buffer[Length] = (byte)(v >> 24);
            _buffer[Length + 1] = (byte)(v >> 16);
            _buffer[Length + 2] = (byte)(v >> 8);
            _buffer[Length + 3] = (byte)v;
        }
        else
        {
            _buffer[Length] = (byte)v;
            _buffer[Length + 1] = (byte)(v >> 8);
            _buffer[Length + 2] = (byte)(v >> 16);
            _buffer[Length + 3] = (byte)(v >> 24);
        }
        Length += 4;
    }

    public void Bytes(byte[] bytes)
    {
        Ensure(bytes.Length);
        Buffer.BlockCopy(bytes, 0, _buffer, Length, bytes.Length);
        Length += bytes.Length;
    }

    public void Bytes(ByteSink other)
    {
        Ensure(other.Length);
        Buffer.BlockCopy(other._buffer, 0, _buffer, Length, other.Length);
        Length += other.Length;
    }

    /// <summary>Overwrites a u32 written earlier (for lengths known only afterwards).</summary>
    public void PatchU32(int at, uint v)
    {
        int saved = Length;
        Length = at;
        U32(v);
        Length = saved;
    }

    public byte[] ToArray()
    {
        var result = new byte[Length];
        Buffer.BlockCopy(_buffer, 0, result, 0, Length);
        return result;
    }

    private void Ensure(int more)
    {
        if (Length + more <= _buffer.Length) return;
        int size = _buffer.Length;
        while (size < Length + more) size *= 2;
        Array.Resize(ref _buffer, size);
    }
}
