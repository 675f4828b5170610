using System;

namespace CSharpBpf.Object.Elf;

/// <summary>Endian-aware stores into a byte array (the writer sizes the array up front).</summary>
internal static class ElfByteWriter
{
    public static void U16(byte[] b, long at, ushort v, bool bigEndian)
    {
        if (bigEndian) { b[at] = (byte)(v >> 8); b[at + 1] = (byte)v; }
        else { b[at] = (byte)v; b[at + 1] = (byte)(v >> 8); }
    }

    public static void U32(byte[] b, long at, uint v, bool bigEndian)
    {
        if (bigEndian)
        {
            b[at] = (byte)(v >> 24); b[at + 1] = (byte)(v >> 16); b[at + 2] = (byte)(v >> 8); b[at + 3] = (byte)v;
        }
        else
        {
            b[at] = (byte)v; b[at + 1] = (byte)(v >> 8); b[at + 2] = (byte)(v >> 16); b[at + 3] = (byte)(v >> 24);
        }
    }

    public static void U64(byte[] b, long at, ulong v, bool bigEndian)
    {
        if (bigEndian) { U32(b, at, (uint)(v >> 32), true); U32(b, at + 4, (uint)v, true); }
        else { U32(b, at, (uint)v, false); U32(b, at + 4, (uint)(v >> 32), false); }
    }

    public static ulong AlignUp(ulong value, ulong alignment) =>
        alignment <= 1 ? value : (value + alignment - 1) & ~(alignment - 1);

    public static void Copy(byte[] source, byte[] destination, long at) =>
        Buffer.BlockCopy(source, 0, destination, checked((int)at), source.Length);
}
