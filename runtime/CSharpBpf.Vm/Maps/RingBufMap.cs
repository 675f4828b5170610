using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using CSharpBpf.Vm.Memory;

namespace CSharpBpf.Vm.Maps;

/// <summary>
/// BPF_MAP_TYPE_RINGBUF with the kernel's accounting: records of round_up(len + 8, 8) bytes,
/// 8-byte headers with BUSY/DISCARD bits, reserve fails (NULL / -EAGAIN) when the record would
/// make producer - consumer exceed the ring's size - 1, records become visible to the consumer in
/// reservation order once submitted, and discarded ones are skipped. Each reserved sample is its own
/// region of exactly the reserved size, so checked mode catches a program writing past its sample.
/// </summary>
public sealed class RingBufMap : BpfMap
{
    public const uint BusyBit = 1u << 31, DiscardBit = 1u << 30;
    private const int HeaderSize = 8;
    private readonly byte[] _ring;
    private readonly Dictionary<int, (long Pos, MemoryRegion Region)> _pending = new();
    private long _producer, _consumer;

    public RingBufMap(BpfMachine machine, MapSpec spec) : base(machine, spec)
    {
        if (spec.KeySize != 0 || spec.ValueSize != 0) throw new ArgumentException($"ringbuf '{spec.Name}' needs key_size and value_size 0");
        int size = spec.MaxEntries;
        if (size < 4096 || (size & (size - 1)) != 0 || size > 1 << 28)
            throw new ArgumentException($"ringbuf '{spec.Name}': max_entries must be a power of 2 and a multiple of the 4096-byte page, not {size}");
        _ring = new byte[size];
    }

    private long Mask => _ring.Length - 1;

    public long ProducerPosition => _producer;
    public long ConsumerPosition => _consumer;

    /// <summary>bpf_ringbuf_reserve: a sample's address, or 0 when the record does not fit.</summary>
    public ulong Reserve(ulong size, ulong flags)
    {
        if (flags != 0 || size > (ulong)(_ring.Length - HeaderSize)) return 0;
        long len = ((long)size + HeaderSize + 7) & ~7L;
        if (_producer + len - _consumer > Mask) return 0;
        long pos = _producer;
        _producer += len;
        WriteHeader(pos, (uint)size | BusyBit);
        var region = Machine.Memory.Add($"ringbuf-sample:{Name}@{pos}", RegionKind.Buffer, (int)size, owner: this);
        _pending[region.Id] = (pos, region);
        return region.Address;
    }

    /// <summary>bpf_ringbuf_submit / bpf_ringbuf_discard: false when <paramref name="sample"/> is no pending sample of this ring.</summary>
    public bool Commit(ulong sample, bool discard)
    {
        var region = Machine.Memory.RegionOf(sample, out long off);
        if (region is null || off != 0 || !_pending.Remove(region.Id, out var p)) return false;
        CopyIn(p.Pos + HeaderSize, region.Span);
        WriteHeader(p.Pos, (uint)region.Length | (discard ? DiscardBit : 0));
        Machine.Memory.Remove(region);
        return true;
    }

    /// <summary>bpf_ringbuf_output: 0 or -EAGAIN.</summary>
    public long Output(ReadOnlySpan<byte> data, ulong flags)
    {
        ulong sample = Reserve((ulong)data.Length, 0);
        if (sample == 0) return -Errno.EAGAIN;
        data.CopyTo(Machine.Memory.RegionOf(sample, out _)!.Span);
        Commit(sample, discard: false);
        return 0;
    }

    /// <summary>bpf_ringbuf_query: BPF_RB_AVAIL_DATA (0), RING_SIZE (1), CONS_POS (2), PROD_POS (3).</summary>
    public ulong Query(ulong flags) => flags switch
    {
        0 => (ulong)(_producer - _consumer),
        1 => (ulong)_ring.Length,
        2 => (ulong)_consumer,
        3 => (ulong)_producer,
        _ => 0,
    };

    /// <summary>The consumer: returns submitted records in order, skipping discarded ones, stopping at the first still-busy record.</summary>
    public List<byte[]> Consume()
    {
        var records = new List<byte[]>();
        while (_consumer < _producer)
        {
            uint header = ReadHeader(_consumer);
            if ((header & BusyBit) != 0) break;
            int len = (int)(header & ~(BusyBit | DiscardBit));
            if ((header & DiscardBit) == 0)
            {
                var data = new byte[len];
                CopyOut(_consumer + HeaderSize, data);
                records.Add(data);
            }
            _consumer += (len + HeaderSize + 7) & ~7L;
        }
        return records;
    }

    private void WriteHeader(long pos, uint lenAndFlags)
    {
        Span<byte> h = stackalloc byte[HeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(h, lenAndFlags);
        BinaryPrimitives.WriteUInt32LittleEndian(h.Slice(4), (uint)(pos / 4096)); // pg_off, as the kernel records it
        CopyIn(pos, h);
    }

    private uint ReadHeader(long pos)
    {
        Span<byte> h = stackalloc byte[4];
        CopyOut(pos, h);
        return BinaryPrimitives.ReadUInt32LittleEndian(h);
    }

    private void CopyIn(long pos, ReadOnlySpan<byte> data)
    {
        for (int i = 0; i < data.Length; i++) _ring[(pos + i) & Mask] = data[i];
    }

    private void CopyOut(long pos, Span<byte> data)
    {
        for (int i = 0; i < data.Length; i++) data[i] = _ring[(pos + i) & Mask];
    }

    public override byte[]? Lookup(ReadOnlySpan<byte> key) => null;

    public override long Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags = MapUpdateFlags.Any) => -Errno.EINVAL;

    public override long Delete(ReadOnlySpan<byte> key) => -Errno.EINVAL;

    public override long UpdateForProgram(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, MapUpdateFlags flags) => -Errno.EINVAL;

    public override long DeleteForProgram(ReadOnlySpan<byte> key) => -Errno.EINVAL;

    public override IEnumerable<byte[]> Keys => Array.Empty<byte[]>();
}
