using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Vm.Kernel;
using CSharpBpf.Vm.Memory;

namespace CSharpBpf.Vm.Maps;

/// <summary>
/// BPF_MAP_TYPE_SK_STORAGE: one value per socket, created by bpf_sk_storage_get with
/// BPF_SK_STORAGE_GET_F_CREATE (zeroed, or copied from the value argument), removed by
/// bpf_sk_storage_delete. Tests read and write it keyed by the <see cref="SimulatedSocket"/>.
/// </summary>
public sealed class SkStorageMap : BpfMap
{
    public const ulong GetFlagCreate = 1;
    private readonly Dictionary<SimulatedSocket, MemoryRegion> _values = new();

    public SkStorageMap(BpfMachine machine, MapSpec spec) : base(machine, spec)
    {
        if (spec.KeySize != 4) throw new ArgumentException($"sk_storage '{spec.Name}' needs 4-byte keys (a socket fd)");
        if (spec.ValueSize <= 0) throw new ArgumentException($"sk_storage '{spec.Name}' needs a value size above 0");
    }

    /// <summary>bpf_sk_storage_get: the value's address, or 0.</summary>
    public ulong GetForProgram(SimulatedSocket socket, ReadOnlySpan<byte> init, ulong flags)
    {
        if (_values.TryGetValue(socket, out var region)) return region.Address;
        if ((flags & GetFlagCreate) == 0) return 0;
        region = Create(socket);
        if (!init.IsEmpty) init.Slice(0, ValueSize).CopyTo(region.Span);
        return region.Address;
    }

    private MemoryRegion Create(SimulatedSocket socket)
    {
        var region = Machine.Memory.Add($"sk_storage:{Name}#{socket.Cookie:x}", RegionKind.MapValue, ValueSize, owner: this);
        _values[socket] = region;
        return region;
    }

    /// <summary>bpf_sk_storage_delete: 0 or -ENOENT.</summary>
    public long DeleteForProgram(SimulatedSocket socket)
    {
        if (!_values.Remove(socket, out var region)) return -Errno.ENOENT;
        Machine.Memory.Remove(region);
        return 0;
    }

    public byte[]? Get(SimulatedSocket socket) => _values.TryGetValue(socket, out var r) ? r.Span.ToArray() : null;

    public void Set(SimulatedSocket socket, ReadOnlySpan<byte> value)
    {
        CheckUserValue(value);
        if (!_values.TryGetValue(socket, out var r)) r = Create(socket);
        value.CopyTo(r.Span);
    }

    public IEnumerable<SimulatedSocket> Sockets => _values.Keys.ToList();

    // Userspace keys sk_storage by socket fd; the VM's sockets have none, so the byte API only lists nothing.
    public override byte[]? Lookup(ReadOnlySpan<byte> key) => null;

    public override long Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any) => -Errno.EOPNOTSUPP;

    public override long Delete(ReadOnlySpan<byte> key) => -Errno.EOPNOTSUPP;

    public override ulong LookupForProgram(ReadOnlySpan<byte> key) => 0;

    public override long UpdateForProgram(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags) => -Errno.EOPNOTSUPP;

    public override long DeleteForProgram(ReadOnlySpan<byte> key) => -Errno.EOPNOTSUPP;

    public override IEnumerable<byte[]> Keys => Array.Empty<byte[]>();
}
