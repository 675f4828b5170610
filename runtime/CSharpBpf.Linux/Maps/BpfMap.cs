using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;
using CSharpBpf.Linux.Native;

namespace CSharpBpf.Linux.Maps;

/// <summary>A kernel BPF map owned through its fd; element access by raw bytes or unmanaged structs.</summary>
public sealed unsafe class BpfMap : IDisposable
{
    private BpfMap(BpfFd fd, string name, BpfMapType type, uint keySize, uint valueSize, uint maxEntries, BpfMapFlags flags)
    {
        Fd = fd;
        Name = name;
        Type = type;
        KeySize = keySize;
        ValueSize = valueSize;
        MaxEntries = maxEntries;
        Flags = flags;
    }

    public BpfFd Fd { get; }
    public string Name { get; }
    public BpfMapType Type { get; }
    public uint KeySize { get; }
    public uint ValueSize { get; }
    public uint MaxEntries { get; }
    public BpfMapFlags Flags { get; }
    /// <summary>Path this map is pinned at by the loader (null if not pinned).</summary>
    public string? PinPath { get; internal set; }
    /// <summary>True when the loader found the pin already present and reused that map.</summary>
    public bool ReusedPin { get; internal set; }

    /// <summary>Bytes one user-space value occupies: per-CPU maps carry round_up(value, 8) per possible CPU.</summary>
    public int UserValueSize => Type.IsPerCpu() ? (int)((ValueSize + 7) & ~7u) * PossibleCpus.Count : (int)ValueSize;

    public uint Id => ObjectInfo.U32(Info(), 4);

    public static BpfMap Create(BpfMapSpec spec)
    {
        var attr = new MapCreateAttr
        {
            MapType = (uint)spec.Type,
            KeySize = spec.KeySize,
            ValueSize = spec.ValueSize,
            MaxEntries = spec.MaxEntries,
            MapFlags = (uint)spec.Flags,
            InnerMapFd = (uint)spec.InnerMapFd,
            NumaNode = spec.NumaNode,
            BtfFd = (uint)spec.BtfFd,
            BtfKeyTypeId = spec.BtfKeyTypeId,
            BtfValueTypeId = spec.BtfValueTypeId,
            BtfVmlinuxValueTypeId = spec.BtfVmlinuxValueTypeId,
            MapExtra = spec.MapExtra,
            ValueTypeBtfObjFd = spec.ValueTypeBtfObjFd,
        };
        WriteObjName(attr.MapName, spec.Name);
        var fd = BpfSyscall.InvokeFd(BpfCommand.MapCreate, ref attr, $"map '{spec.Name}' ({spec.Type.KernelName()}, key {spec.KeySize} B, value {spec.ValueSize} B, {spec.MaxEntries} entries)");
        return new BpfMap(fd, spec.Name, spec.Type, spec.KeySize, spec.ValueSize, spec.MaxEntries, spec.Flags);
    }

    /// <summary>Wraps an fd obtained elsewhere (pin, id) reading its shape from the kernel.</summary>
    public static BpfMap FromFd(BpfFd fd)
    {
        var info = new byte[88];
        ObjectInfo.Get(fd.Value, info, "map");
        return new BpfMap(fd, ObjectInfo.CString(info, 24, 16), (BpfMapType)ObjectInfo.U32(info, 0),
            ObjectInfo.U32(info, 8), ObjectInfo.U32(info, 12), ObjectInfo.U32(info, 16), (BpfMapFlags)ObjectInfo.U32(info, 20));
    }

    public static BpfMap FromPin(string path) => FromFd(Pinning.Get(path));

    public static BpfMap? FromId(uint id)
    {
        var fd = ObjectInfo.FdById(BpfCommand.MapGetFdById, id);
        return fd is null ? null : FromFd(fd);
    }

    internal static void WriteObjName(byte* dst, string name)
    {
        // BPF_OBJ_NAME_LEN is 16 with the NUL; the kernel accepts only [A-Za-z0-9_.].
        var bytes = Encoding.ASCII.GetBytes(name);
        int n = 0;
        foreach (byte b in bytes)
        {
            if (n == 15) break;
            bool ok = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_' || b == '.';
            if (ok) dst[n++] = b;
        }
    }

    public byte[] Info()
    {
        var info = new byte[88];
        ObjectInfo.Get(Fd.Value, info, $"map '{Name}'");
        return info;
    }

    public bool TryLookup(byte[] key, byte[] value, ulong flags = 0)
    {
        CheckKey(key);
        if (value.Length < UserValueSize) throw new ArgumentException($"value buffer {value.Length} B < {UserValueSize} B for map '{Name}'", nameof(value));
        fixed (byte* k = key) fixed (byte* v = value)
        {
            var attr = new MapElemAttr { MapFd = (uint)Fd.Value, Key = (ulong)k, ValueOrNextKey = (ulong)v, Flags = flags };
            long r = BpfSyscall.TryInvoke(BpfCommand.MapLookupElem, ref attr);
            if (r == -Errno.ENOENT) return false;
            if (r < 0) throw new BpfSyscallException("BPF_MAP_LOOKUP_ELEM", (int)-r, $"map '{Name}'");
            return true;
        }
    }

    public byte[]? Lookup(byte[] key)
    {
        var value = new byte[UserValueSize];
        return TryLookup(key, value) ? value : null;
    }

    public void Update(byte[] key, byte[] value, BpfUpdateFlags flags = BpfUpdateFlags.Any)
    {
        CheckKey(key);
        if (value.Length != UserValueSize) throw new ArgumentException($"value is {value.Length} B; map '{Name}' needs {UserValueSize} B", nameof(value));
        fixed (byte* k = key) fixed (byte* v = value)
        {
            var attr = new MapElemAttr { MapFd = (uint)Fd.Value, Key = (ulong)k, ValueOrNextKey = (ulong)v, Flags = (ulong)flags };
            BpfSyscall.Invoke(BpfCommand.MapUpdateElem, ref attr, $"map '{Name}'");
        }
    }

    public bool Delete(byte[] key)
    {
        CheckKey(key);
        fixed (byte* k = key)
        {
            var attr = new MapElemAttr { MapFd = (uint)Fd.Value, Key = (ulong)k };
            long r = BpfSyscall.TryInvoke(BpfCommand.MapDeleteElem, ref attr);
            if (r == -Errno.ENOENT) return false;
            if (r < 0) throw new BpfSyscallException("BPF_MAP_DELETE_ELEM", (int)-r, $"map '{Name}'");
            return true;
        }
    }

    /// <summary>All keys, in the kernel's iteration order (BPF_MAP_GET_NEXT_KEY from a null key).</summary>
    public List<byte[]> Keys()
    {
        var keys = new List<byte[]>();
        byte[]? cur = null;
        while (true)
        {
            var next = new byte[KeySize];
            fixed (byte* k = cur) fixed (byte* n = next)
            {
                var attr = new MapElemAttr { MapFd = (uint)Fd.Value, Key = (ulong)k, ValueOrNextKey = (ulong)n };
                long r = BpfSyscall.TryInvoke(BpfCommand.MapGetNextKey, ref attr);
                if (r == -Errno.ENOENT) return keys;
                if (r < 0) throw new BpfSyscallException("BPF_MAP_GET_NEXT_KEY", (int)-r, $"map '{Name}'");
            }
            keys.Add(next);
            cur = next;
        }
    }

    /// <summary>Makes the map read-only for user space (BPF_MAP_FREEZE), as libbpf does for .rodata.</summary>
    public void Freeze()
    {
        var attr = new FdAttr { Fd = (uint)Fd.Value };
        BpfSyscall.Invoke(BpfCommand.MapFreeze, ref attr, $"map '{Name}'");
    }

    public void Pin(string path)
    {
        Pinning.Pin(Fd, path, $"map '{Name}'");
        PinPath = path;
    }

    // Typed conveniences over the byte API.
    public bool TryLookup<TKey, TValue>(TKey key, out TValue value) where TKey : unmanaged where TValue : unmanaged
    {
        var v = new byte[Math.Max(UserValueSize, sizeof(TValue))];
        bool found = TryLookup(ToBytes(key), v);
        value = found ? MemoryMarshal.Read<TValue>(v) : default;
        return found;
    }

    public void Update<TKey, TValue>(TKey key, TValue value, BpfUpdateFlags flags = BpfUpdateFlags.Any) where TKey : unmanaged where TValue : unmanaged
        => Update(ToBytes(key), ToBytes(value), flags);

    /// <summary>Per-CPU lookup: one value per possible CPU.</summary>
    public TValue[]? LookupPerCpu<TKey, TValue>(TKey key) where TKey : unmanaged where TValue : unmanaged
    {
        if (!Type.IsPerCpu()) throw new InvalidOperationException($"map '{Name}' ({Type.KernelName()}) is not per-CPU");
        var raw = Lookup(ToBytes(key));
        if (raw is null) return null;
        int stride = (int)((ValueSize + 7) & ~7u);
        var result = new TValue[PossibleCpus.Count];
        for (int i = 0; i < result.Length; i++) result[i] = MemoryMarshal.Read<TValue>(raw.AsSpan(i * stride));
        return result;
    }

    public static byte[] ToBytes<T>(T v) where T : unmanaged
    {
        var b = new byte[sizeof(T)];
        MemoryMarshal.Write(b, in v);
        return b;
    }

    private void CheckKey(byte[] key)
    {
        if (key.Length != KeySize) throw new ArgumentException($"key is {key.Length} B; map '{Name}' has {KeySize}-byte keys", nameof(key));
    }

    public void Dispose() => Fd.Dispose();

    public override string ToString() => $"map '{Name}' ({Type.KernelName()}, {Fd})";
}
