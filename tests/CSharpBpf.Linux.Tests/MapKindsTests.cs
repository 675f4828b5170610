using System;
using System.IO;
using CSharpBpf.Linux.Loader;
using CSharpBpf.Linux.Maps;
using CSharpBpf.Linux.Tests.Support;
using CSharpBpf.TestSupport;
using Xunit;

namespace CSharpBpf.Linux.Tests;

/// <summary>Every map kind of the shared maps_mix fixture, pinning by name, map-in-map and prog_array initial values.</summary>
[Collection("kernel")]
public sealed class MapKindsTests
{
    [SkippableFact]
    public void Maps_mix_creates_every_map_kind_with_static_slots_and_pins_by_name()
    {
        KernelSkip.UnlessBpfAllowed();
        using var bpffs = new TemporaryBpffs();
        var options = new LoadOptions { PinRoot = bpffs.Path };
        using (var obj = BpfObject.Load(RepoPaths.Fixture("maps_mix.bpf.o"), options))
        {
            Assert.Equal(BpfMapType.Array, obj.Map("verdict_counts").Type);
            Assert.Equal(BpfMapType.Hash, obj.Map("flows").Type);
            Assert.Equal(BpfMapType.PercpuArray, obj.Map("percpu_totals").Type);
            Assert.Equal(BpfMapType.PercpuHash, obj.Map("percpu_by_proto").Type);
            Assert.Equal(BpfMapType.LruHash, obj.Map("recent_sources").Type);
            Assert.Equal(BpfMapType.SkStorage, obj.Map("sk_bytes").Type);
            Assert.Equal(BpfMapType.Ringbuf, obj.Map("events").Type);
            Assert.Equal(BpfMapType.DevmapHash, obj.Map("redirect_ports").Type);
            Assert.Equal(BpfMapType.ArrayOfMaps, obj.Map("outer").Type);
            Assert.Equal(BpfMapType.ProgArray, obj.Map("jump_table").Type);

            // Static initialisers: outer[0] = inner_a, jump_table[1] = tail_target (the kernel reports ids on lookup).
            Assert.True(obj.Map("outer").TryLookup(0u, out uint innerId));
            Assert.Equal(obj.Map("inner_a").Id, innerId);
            Assert.True(obj.Map("jump_table").TryLookup(1u, out uint progId));
            Assert.Equal(obj.Program("tail_target").Id, progId);

            string pin = Path.Combine(bpffs.Path, "recent_sources");
            Assert.True(File.Exists(pin));
            obj.Map("recent_sources").Update(new byte[obj.Map("recent_sources").KeySize], new byte[obj.Map("recent_sources").ValueSize]);

            // A second load reuses the pinned map (same kernel map, contents kept).
            using var again = BpfObject.Load(RepoPaths.Fixture("maps_mix.bpf.o"), options);
            Assert.True(again.Map("recent_sources").ReusedPin);
            Assert.Equal(obj.Map("recent_sources").Id, again.Map("recent_sources").Id);
            again.Unpin();
            Assert.False(File.Exists(pin));
        }
    }
}
