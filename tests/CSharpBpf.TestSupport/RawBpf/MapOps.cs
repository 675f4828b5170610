using System;
using System.Text;

namespace CSharpBpf.TestSupport.RawBpf;

public static unsafe partial class BpfSyscall
{
    /// <summary>BPF_MAP_CREATE (<see cref="MapTypes"/>, <see cref="MapFlags"/>); <paramref name="name"/> at most 15 characters.</summary>
    public static RawBpfFd MapCreate(uint mapType, uint keySize, uint valueSize, uint maxEntries, uint flags = 0, string? name = null)
    {
        byte[] nameBytes = name is null ? System.Array.Empty<byte>() : Encoding.ASCII.GetBytes(name);
        if (nameBytes.Length > 15) throw new ArgumentException($"map name '{name}' is longer than the kernel's 15 characters", nameof(name));
        byte* attr = stackalloc byte[Native.AttrSize];
        new Span<byte>(attr, Native.AttrSize).Clear();
        *(uint*)(attr + 0) = mapType;
        *(uint*)(attr + 4) = keySize;
        *(uint*)(attr + 8) = valueSize;
        *(uint*)(attr + 12) = maxEntries;
        *(uint*)(attr + 16) = flags;
        nameBytes.CopyTo(new Span<byte>(attr + 28, 16));
        string what = $"{name ?? "map"}: type {mapType}, key {keySize} B, value {valueSize} B, {maxEntries} entries, flags 0x{flags:x}";
        return new RawBpfFd((int)Native.BpfOrThrow(BpfCommand.BPF_MAP_CREATE, attr, what));
    }

    /// <summary>Reads the value at <paramref name="key"/> into <paramref name="value"/>; false when there is none (ENOENT).</summary>
    public static bool TryMapLookup(RawBpfFd map, ReadOnlySpan<byte> key, Span<byte> value)
    {
        fixed (byte* k = key, v = value)
        {
            long r = ElemOp(BpfCommand.BPF_MAP_LOOKUP_ELEM, map, k, v, 0);
            if (r == -(long)BpfErrno.ENOENT) return false;
            ThrowIfFailed(BpfCommand.BPF_MAP_LOOKUP_ELEM, r);
            return true;
        }
    }

    /// <summary>The value at <paramref name="key"/>; a missing key throws (ENOENT).</summary>
    public static byte[] MapLookup(RawBpfFd map, ReadOnlySpan<byte> key, int valueSize)
    {
        var value = new byte[valueSize];
        fixed (byte* k = key, v = value)
            ThrowIfFailed(BpfCommand.BPF_MAP_LOOKUP_ELEM, ElemOp(BpfCommand.BPF_MAP_LOOKUP_ELEM, map, k, v, 0));
        return value;
    }

    /// <summary>Writes <paramref name="value"/> at <paramref name="key"/>; flags BPF_ANY (0), BPF_NOEXIST (1), BPF_EXIST (2).</summary>
    public static void MapUpdate(RawBpfFd map, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags = 0)
    {
        fixed (byte* k = key, v = value)
            ThrowIfFailed(BpfCommand.BPF_MAP_UPDATE_ELEM, ElemOp(BpfCommand.BPF_MAP_UPDATE_ELEM, map, k, v, flags));
    }

    /// <summary>Removes <paramref name="key"/>; false when it was not there (ENOENT).</summary>
    public static bool MapDelete(RawBpfFd map, ReadOnlySpan<byte> key)
    {
        fixed (byte* k = key)
        {
            long r = ElemOp(BpfCommand.BPF_MAP_DELETE_ELEM, map, k, null, 0);
            if (r == -(long)BpfErrno.ENOENT) return false;
            ThrowIfFailed(BpfCommand.BPF_MAP_DELETE_ELEM, r);
            return true;
        }
    }

    private static long ElemOp(BpfCommand command, RawBpfFd map, byte* key, byte* value, ulong flags)
    {
        byte* attr = stackalloc byte[Native.AttrSize];
        new Span<byte>(attr, Native.AttrSize).Clear();
        *(uint*)(attr + 0) = (uint)map.Value;
        *(ulong*)(attr + 8) = (ulong)key;
        *(ulong*)(attr + 16) = (ulong)value;
        *(ulong*)(attr + 24) = flags;
        return Native.Bpf(command, attr);
    }

    private static void ThrowIfFailed(BpfCommand command, long r)
    {
        if (r < 0) throw new BpfSyscallException(command, (BpfErrno)(-r), "");
    }
}
