using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace CSharpBpf.Vm.Maps;

/// <summary>
/// BPF_MAP_TYPE_DEVMAP_HASH: u32 key -&gt; ifindex (4-byte value, or struct bpf_devmap_val of 8).
/// Programs use it through bpf_redirect_map and may look values up read-only; updates come from
/// userspace (the tests). max_entries bounds the element count (-E2BIG beyond).
/// </summary>
public sealed class DevmapHashMap : BpfMap
{
    private readonly HashMap _store;

    public DevmapHashMap(BpfMachine machine, MapSpec spec) : base(machine, spec)
    {
        if (spec.KeySize != 4 || spec.ValueSize is not (4 or 8)) throw new ArgumentException($"devmap_hash '{spec.Name}' needs 4-byte keys and 4- or 8-byte values");
        _store = new HashMap(machine, spec with { Name = spec.Name + ".devices", Type = BpfMapType.Hash, Flags = MapSpec.ReadOnlyProg });
    }

    /// <summary>The ifindex stored under <paramref name="key"/>, or null.</summary>
    public uint? IfindexOf(uint key)
    {
        var k = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(k, key);
        var v = _store.Lookup(k);
        return v is null ? null : BinaryPrimitives.ReadUInt32LittleEndian(v);
    }

    public override ulong LookupForProgram(ReadOnlySpan<byte> key) => _store.LookupForProgram(key);

    public override long UpdateForProgram(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags) => -Errno.EOPNOTSUPP;

    public override long DeleteForProgram(ReadOnlySpan<byte> key) => -Errno.EOPNOTSUPP;

    public override byte[]? Lookup(ReadOnlySpan<byte> key) => _store.Lookup(key);

    public override long Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any) => _store.Update(key, value, flags);

    public override long Delete(ReadOnlySpan<byte> key) => _store.Delete(key);

    public override IEnumerable<byte[]> Keys => _store.Keys;
}
