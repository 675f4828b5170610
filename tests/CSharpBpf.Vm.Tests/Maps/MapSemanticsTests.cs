using System;
using System.Buffers.Binary;
using System.Linq;
using CSharpBpf.Vm;
using CSharpBpf.Vm.Host;
using CSharpBpf.Vm.Maps;
using Xunit;

namespace CSharpBpf.Vm.Tests.Maps;

/// <summary>Map semantics through the C# (syscall-like) API, checked against the kernel's rules.</summary>
public sealed class MapSemanticsTests : IDisposable
{
    private readonly BpfTestHost _host = new();

    private static byte[] U32(uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        return b;
    }

    private static byte[] U64(ulong v)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, v);
        return b;
    }

    [Fact]
    public void Array_elements_always_exist_and_cannot_be_deleted()
    {
        var a = _host.CreateArray("a", 8, 4);
        Assert.Equal(new byte[8], a.Lookup(U32(3)));
        Assert.Null(a.Lookup(U32(4)));
        Assert.Equal(0, a.Update(U32(1), U64(7)));
        Assert.Equal(7UL, a.GetUInt64(1));
        Assert.Equal(-Errno.EEXIST, a.Update(U32(1), U64(8), MapUpdateFlags.NoExist));
        Assert.Equal(0, a.Update(U32(1), U64(9), MapUpdateFlags.Exist));
        Assert.Equal(-Errno.E2BIG, a.Update(U32(4), U64(1)));
        Assert.Equal(-Errno.EINVAL, a.Delete(U32(1)));
        Assert.Equal(-Errno.EINVAL, a.Update(U32(1), U64(1), (MapUpdateFlags)8));
        Assert.Equal(4, a.Keys.Count());
    }

    [Fact]
    public void Hash_follows_any_noexist_exist_and_max_entries()
    {
        var h = _host.CreateHash("h", 4, 8, 2);
        Assert.Equal(-Errno.ENOENT, h.Update(U32(1), U64(1), MapUpdateFlags.Exist));
        Assert.Equal(0, h.Update(U32(1), U64(1), MapUpdateFlags.NoExist));
        Assert.Equal(-Errno.EEXIST, h.Update(U32(1), U64(2), MapUpdateFlags.NoExist));
        Assert.Equal(0, h.Update(U32(1), U64(3), MapUpdateFlags.Exist));
        Assert.Equal(U64(3), h.Lookup(U32(1)));
        Assert.Equal(0, h.Update(U32(2), U64(4)));
        Assert.Equal(-Errno.E2BIG, h.Update(U32(3), U64(5)));
        Assert.Equal(0, h.Update(U32(2), U64(6))); // replacing in a full map is fine
        Assert.Equal(0, h.Delete(U32(1)));
        Assert.Equal(-Errno.ENOENT, h.Delete(U32(1)));
        Assert.Equal(0, h.Update(U32(3), U64(5)));
        Assert.Null(h.Lookup(U32(1)));
        Assert.Equal(2, h.Count);
    }

    [Fact]
    public void Lru_hash_evicts_the_least_recently_used()
    {
        var h = _host.CreateHash("lru", 4, 8, 3, BpfMapType.LruHash);
        for (uint k = 1; k <= 3; k++) Assert.Equal(0, h.Update(U32(k), U64(k)));
        // use key 1 from the program side, so 2 becomes the oldest
        Assert.NotEqual(0UL, h.LookupForProgram(U32(1)));
        Assert.Equal(0, h.Update(U32(4), U64(4)));
        Assert.Null(h.Lookup(U32(2)));
        Assert.NotNull(h.Lookup(U32(1)));
        Assert.NotNull(h.Lookup(U32(3)));
        Assert.NotNull(h.Lookup(U32(4)));
        Assert.Equal(3, h.Count);
    }

    [Fact]
    public void Percpu_array_keeps_one_slot_per_cpu()
    {
        var a = _host.CreateArray("pc", 4, 2, perCpu: true);
        int cpus = _host.Machine.PossibleCpus;
        var all = new byte[8 * cpus];
        for (int c = 0; c < cpus; c++) BinaryPrimitives.WriteUInt32LittleEndian(all.AsSpan(8 * c), (uint)(10 + c));
        Assert.Equal(0, a.Update(U32(1), all));
        Assert.Equal(all, a.Lookup(U32(1)));
        _host.Machine.CurrentCpu = 2;
        ulong addr = a.LookupForProgram(U32(1));
        Assert.Equal(12u, BinaryPrimitives.ReadUInt32LittleEndian(_host.Machine.Memory.Slice(addr, 4, false, 0)));
        Assert.Throws<ArgumentException>(() => a.Update(U32(1), new byte[4]));
    }

    [Fact]
    public void Ringbuf_reserves_commits_in_order_and_skips_discards()
    {
        var rb = _host.CreateRingBuf("rb", 4096);
        ulong a = rb.Reserve(5, 0), b = rb.Reserve(3, 0), c = rb.Reserve(4, 0);
        Assert.NotEqual(0UL, a);
        _host.Machine.Memory.Slice(a, 5, true, 0).Fill(0xaa);
        _host.Machine.Memory.Slice(c, 4, true, 0).Fill(0xcc);
        Assert.True(rb.Commit(c, discard: false));
        Assert.Empty(rb.Consume()); // a is still busy: the consumer stops there
        Assert.True(rb.Commit(a, discard: false));
        Assert.True(rb.Commit(b, discard: true));
        var records = rb.Consume();
        Assert.Equal(2, records.Count);
        Assert.Equal(Enumerable.Repeat((byte)0xaa, 5), records[0]);
        Assert.Equal(Enumerable.Repeat((byte)0xcc, 4), records[1]);
        Assert.False(rb.Commit(a, discard: false)); // already committed
    }

    [Fact]
    public void Ringbuf_refuses_records_that_do_not_fit()
    {
        var rb = _host.CreateRingBuf("rb", 4096);
        Assert.Equal(0UL, rb.Reserve(4096, 0));
        ulong big = rb.Reserve(4000, 0);
        Assert.NotEqual(0UL, big);
        Assert.Equal(0UL, rb.Reserve(100, 0)); // 4008 + 108 > 4095
        Assert.Equal(-Errno.EAGAIN, rb.Output(new byte[100], 0));
        rb.Commit(big, discard: true);
        Assert.Empty(rb.Consume());
        Assert.Equal(0, rb.Output(new byte[100], 0)); // consumed space is free again
        Assert.Throws<ArgumentException>(() => _host.CreateRingBuf("bad", 5000));
    }

    [Fact]
    public void Map_specs_are_validated()
    {
        Assert.Throws<ArgumentException>(() => _host.CreateArray("a", 0, 1));
        Assert.Throws<ArgumentException>(() => _host.CreateMap(new MapSpec("h", BpfMapType.Array, 8, 8, 1)));
        Assert.Throws<NotSupportedException>(() => _host.CreateMap(new MapSpec("x", (BpfMapType)99, 4, 4, 1)));
    }

    public void Dispose() => _host.Dispose();
}
