using System;

namespace CSharpBpf.Compiler.Frontend;

/// <summary>C# constant values as the 64-bit patterns the IR carries.</summary>
internal static class Constants
{
    public static long ToLong(object? value) => value switch
    {
        null => 0,
        bool b => b ? 1 : 0,
        char c => c,
        sbyte v => v,
        byte v => v,
        short v => v,
        ushort v => v,
        int v => v,
        uint v => v,
        long v => v,
        ulong v => unchecked((long)v),
        _ => throw new ArgumentException($"constant {value} of type {value.GetType().Name} is not an integer"),
    };

    public static byte[] LittleEndian(long value, int size)
    {
        var bytes = new byte[size];
        for (int i = 0; i < size && i < 8; i++) bytes[i] = (byte)(value >> (8 * i));
        return bytes;
    }
}
