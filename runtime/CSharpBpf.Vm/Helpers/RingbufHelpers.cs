using CSharpBpf.Vm.Maps;

namespace CSharpBpf.Vm.Helpers;

/// <summary>bpf_ringbuf_output/reserve/submit/discard/query.</summary>
internal static class RingbufHelpers
{
    public static void Register(HelperTable t)
    {
        t.Register(HelperIds.RingbufOutput, "bpf_ringbuf_output", (m, a) =>
        {
            var rb = StandardHelpers.MapAs<RingBufMap>(m, a, "bpf_ringbuf_output");
            if (a.R3 > int.MaxValue) return Errno.Neg(Errno.EINVAL);
            return StandardHelpers.Ret(rb.Output(m.Memory.Slice(a.R2, (int)a.R3, false, a.Pc), a.R4));
        });
        t.Register(HelperIds.RingbufReserve, "bpf_ringbuf_reserve", (m, a) =>
            StandardHelpers.MapAs<RingBufMap>(m, a, "bpf_ringbuf_reserve").Reserve(a.R2, a.R3));
        t.Register(HelperIds.RingbufSubmit, "bpf_ringbuf_submit", (m, a) => Commit(m, a, discard: false));
        t.Register(HelperIds.RingbufDiscard, "bpf_ringbuf_discard", (m, a) => Commit(m, a, discard: true));
        t.Register(HelperIds.RingbufQuery, "bpf_ringbuf_query", (m, a) =>
            StandardHelpers.MapAs<RingBufMap>(m, a, "bpf_ringbuf_query").Query(a.R2));
    }

    private static ulong Commit(BpfMachine m, HelperArgs a, bool discard)
    {
        var region = m.Memory.RegionOf(a.R1, out _);
        if (region?.Owner is RingBufMap rb && rb.Commit(a.R1, discard)) return 0;
        throw StandardHelpers.BadArg(a, $"r1 = 0x{a.R1:x} is not a reserved ring buffer sample");
    }
}
