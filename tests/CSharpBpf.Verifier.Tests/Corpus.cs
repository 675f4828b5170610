using System.Collections.Generic;
using CSharpBpf.Object.Objects;

namespace CSharpBpf.Verifier.Tests;

/// <summary>A hand-written program with the verdict the kernel gives it (null code = accepted).</summary>
public sealed record CorpusCase(string Name, VerifierProgramType Type, string Asm, string? Code = null, int Insn = -1,
    VerifierAttachType Attach = VerifierAttachType.None, bool Unprivileged = false)
{
    public override string ToString() => Name;
}

/// <summary>
/// The reject and accept corpus. Maps: 7 = hash u32 → u64, 8 = array u32 → 16 bytes, 9 = ringbuf 4096.
/// Each reject names the error code and the instruction the kernel would stop at.
/// </summary>
public static class Corpus
{
    public static readonly Dictionary<int, MapDescriptor> Maps = new()
    {
        [7] = new MapDescriptor("hash", BpfMapType.Hash, 4, 8, 16),
        [8] = new MapDescriptor("array", BpfMapType.Array, 4, 16, 4),
        [9] = new MapDescriptor("events", BpfMapType.Ringbuf, 0, 0, 4096),
    };

    /// <summary>bpf_map_lookup_elem(map, &amp;key 0): the value (or null) in r0.</summary>
    private static string LookupIn(int map) => $@"
        r1 = 0
        *(u32 *)(r10 - 4) = r1
        r2 = r10
        r2 += -4
        ld_pseudo r1, 1, {map}
        call 1
";

    /// <summary>
    /// Checks that 14 bytes of packet are there, then reads the byte at <paramref name="offset"/>: within the
    /// checked range up to 13, one past it at 14 (the accept/reject twins differ only there).
    /// </summary>
    private static string PacketReadAfterCheck(int offset) => $@"
        r2 = *(u32 *)(r1 + 0)
        r3 = *(u32 *)(r1 + 4)
        r4 = r2
        r4 += 14
        if r4 > r3 goto +2
        r0 = *(u8 *)(r2 + {offset})
        exit
        r0 = 2
        exit";

    /// <summary>
    /// A counted loop whose u32 counter lives in the stack slot at r10 - <paramref name="slot"/>. The kernel
    /// tracks the bound through an 8-byte aligned slot (-8) but loses it in a 4-byte one (-4): an unbounded loop.
    /// </summary>
    private static string U32CounterLoop(int slot) => $@"
        w0 = 0
        *(u32 *)(r10 - {slot}) = w0
        w1 = *(u32 *)(r10 - {slot})
        if w1 s> 999 goto done
    loop:
        w1 = w0
        w0 = *(u32 *)(r10 - {slot})
        w2 = *(u32 *)(r10 - {slot})
        w2 += 1
        *(u32 *)(r10 - {slot}) = w2
        w0 += w1
        w1 = *(u32 *)(r10 - {slot})
        if w1 s< 1000 goto loop
    done:
        w0 &= 0xffff
        exit";

    public static readonly CorpusCase[] Rejects =
    {
        new("missing_null_check", VerifierProgramType.Xdp, LookupIn(7) + @"
        r1 = *(u64 *)(r0 + 0)
        r0 = 2
        exit", VerifierErrorCodes.NullMapValue, 7),
        new("packet_without_bounds_check", VerifierProgramType.Xdp, @"
        r2 = *(u32 *)(r1 + 0)
        r0 = *(u8 *)(r2 + 0)
        exit", VerifierErrorCodes.PacketOutOfRange, 1),
        new("packet_read_past_checked_range", VerifierProgramType.Xdp, PacketReadAfterCheck(14), VerifierErrorCodes.PacketOutOfRange, 5),
        new("stack_below_512", VerifierProgramType.Xdp, @"
        r1 = 0
        *(u64 *)(r10 - 520) = r1
        r0 = 0
        exit", VerifierErrorCodes.InvalidStackAccess, 1),
        new("stack_above_frame_pointer", VerifierProgramType.Xdp, @"
        r1 = 0
        *(u64 *)(r10 + 0) = r1
        r0 = 0
        exit", VerifierErrorCodes.InvalidStackAccess, 1),
        new("uninitialised_register", VerifierProgramType.Xdp, @"
        r0 = r2
        exit", VerifierErrorCodes.UninitRegister, 0),
        new("uninitialised_return", VerifierProgramType.Xdp, @"
        exit", VerifierErrorCodes.UninitRegister, 0),
        new("uninitialised_stack_read", VerifierProgramType.Xdp, @"
        r0 = *(u64 *)(r10 - 8)
        exit", VerifierErrorCodes.UninitStack, 0, Unprivileged: true),
        new("register_clobbered_by_call", VerifierProgramType.Xdp, @"
        r2 = 1
        call 5
        r0 = r2
        exit", VerifierErrorCodes.UninitRegister, 2),
        new("write_read_only_xdp_ctx", VerifierProgramType.Xdp, @"
        r2 = 0
        *(u32 *)(r1 + 12) = r2
        r0 = 2
        exit", VerifierErrorCodes.ReadOnlyCtx, 1),
        new("write_skb_len_in_cgroup_skb", VerifierProgramType.CgroupSkb, @"
        r2 = 0
        *(u32 *)(r1 + 0) = r2
        r0 = 1
        exit", VerifierErrorCodes.ReadOnlyCtx, 1, VerifierAttachType.CgroupInetIngress),
        new("ctx_out_of_range", VerifierProgramType.Xdp, @"
        r0 = *(u32 *)(r1 + 64)
        exit", VerifierErrorCodes.InvalidCtxAccess, 0),
        new("socket_filter_reads_data", VerifierProgramType.SocketFilter, @"
        r0 = *(u32 *)(r1 + 76)
        exit", VerifierErrorCodes.InvalidCtxAccess, 0),
        new("modified_ctx_pointer", VerifierProgramType.Xdp, @"
        r1 += 4
        r0 = *(u32 *)(r1 + 0)
        exit", VerifierErrorCodes.ModifiedCtx, 1),
        new("helper_scalar_as_map", VerifierProgramType.Xdp, @"
        r1 = 0
        *(u32 *)(r10 - 4) = r1
        r2 = r10
        r2 += -4
        call 1
        r0 = 2
        exit", VerifierErrorCodes.BadHelperArg, 4),
        new("helper_key_uninitialised", VerifierProgramType.Xdp, @"
        r2 = r10
        r2 += -4
        ld_pseudo r1, 1, 7
        call 1
        r0 = 2
        exit", VerifierErrorCodes.UninitStack, 4, Unprivileged: true),
        new("ringbuf_map_in_lookup", VerifierProgramType.Xdp, LookupIn(9) + @"
        r0 = 2
        exit", VerifierErrorCodes.HelperMapIncompatible, 6),
        new("unbounded_loop", VerifierProgramType.Xdp, @"
        call 5
        r1 = r0
    loop:
        r1 += 1
        if r1 != 0 goto loop
        r0 = 2
        exit", VerifierErrorCodes.UnboundedLoop, 2),
        new("jump_out_of_range", VerifierProgramType.Xdp, @"
        r0 = 0
        if r1 == 0 goto +5
        exit", VerifierErrorCodes.JumpOutOfRange, 1),
        new("jump_into_ld_imm64", VerifierProgramType.Xdp, @"
        if r1 == 0 goto +1
        r0 = 0 ll
        exit", VerifierErrorCodes.JumpIntoLdImm64, 0),
        new("unreachable_code", VerifierProgramType.Xdp, @"
        r0 = 0
        exit
        r0 = 1
        exit", VerifierErrorCodes.UnreachableInstruction, 2),
        new("falls_off_the_end", VerifierProgramType.Xdp, @"
        r0 = 0", VerifierErrorCodes.FallOffEnd, 0),
        new("cgroup_skb_returns_2", VerifierProgramType.CgroupSkb, @"
        r0 = 2
        exit", VerifierErrorCodes.InvalidReturnValue, 1, VerifierAttachType.CgroupInetIngress),
        new("pointer_multiplied", VerifierProgramType.Xdp, @"
        r2 = r10
        r2 *= 2
        r0 = 2
        exit", VerifierErrorCodes.InvalidPtrArith, 1),
        new("pointer_plus_pointer", VerifierProgramType.Xdp, @"
        r2 = r10
        r2 += r1
        r0 = 2
        exit", VerifierErrorCodes.InvalidPtrArith, 1),
        new("map_value_past_end", VerifierProgramType.Xdp, LookupIn(8) + @"
        if r0 == 0 goto +1
        r1 = *(u64 *)(r0 + 12)
        r0 = 2
        exit", VerifierErrorCodes.MapValueOutOfRange, 8),
        new("map_value_unbounded_index", VerifierProgramType.Xdp, LookupIn(8) + @"
        if r0 == 0 goto +4
        r6 = r0
        call 7
        r6 += r0
        r1 = *(u8 *)(r6 + 0)
        r0 = 2
        exit", VerifierErrorCodes.UnboundedMemAccess, 10),
        new("ringbuf_reservation_leaked", VerifierProgramType.Xdp, @"
        ld_pseudo r1, 1, 9
        r2 = 8
        r3 = 0
        call 131
        r0 = 2
        exit", VerifierErrorCodes.UnreleasedReference, 6),
        new("frame_pointer_written", VerifierProgramType.Xdp, @"
        r10 = 0
        r0 = 2
        exit", VerifierErrorCodes.FramePointerWrite, 0),
        new("scalar_dereferenced", VerifierProgramType.Xdp, @"
        r2 = 100
        r0 = *(u32 *)(r2 + 0)
        exit", VerifierErrorCodes.InvalidMemAccess, 1),
        new("unknown_helper", VerifierProgramType.Xdp, @"
        call 100000
        r0 = 2
        exit", VerifierErrorCodes.UnknownHelper, 0),
        new("helper_not_for_program_type", VerifierProgramType.Xdp, @"
        r2 = 0
        call 59
        r0 = 2
        exit", VerifierErrorCodes.UnknownHelper, 1),
        new("call_stack_too_deep", VerifierProgramType.Xdp, Chain(9), VerifierErrorCodes.CallDepth, 21),
        new("combined_stack_too_large", VerifierProgramType.Xdp, @"
        r1 = 0
        *(u64 *)(r10 - 400) = r1
        call f
        r0 = 2
        exit
    f:
        r1 = 0
        *(u64 *)(r10 - 200) = r1
        r0 = 0
        exit", VerifierErrorCodes.StackTooLarge, 2),
        new("pointer_spilled_narrow", VerifierProgramType.Xdp, @"
        *(u32 *)(r10 - 8) = r1
        r0 = 2
        exit", VerifierErrorCodes.InvalidStackAccess, 0),
        new("u32_counter_in_unaligned_stack_slot", VerifierProgramType.Xdp, U32CounterLoop(4), VerifierErrorCodes.UnboundedLoop, 4),
        new("division_by_zero_immediate", VerifierProgramType.Xdp, @"
        r0 = 1
        r0 /= 0
        exit", VerifierErrorCodes.DivisionByZero, 1),
    };

    public static readonly CorpusCase[] Accepts =
    {
        new("null_checked_lookup", VerifierProgramType.Xdp, LookupIn(7) + @"
        if r0 == 0 goto +1
        r1 = *(u64 *)(r0 + 0)
        r0 = 2
        exit"),
        new("packet_read_within_checked_range", VerifierProgramType.Xdp, PacketReadAfterCheck(13)),
        new("bounded_loop", VerifierProgramType.Xdp, @"
        r1 = 0
    loop:
        r1 += 1
        if r1 < 100 goto loop
        r0 = 2
        exit"),
        new("map_value_bounded_index", VerifierProgramType.Xdp, LookupIn(8) + @"
        if r0 == 0 goto +5
        r6 = r0
        call 7
        r0 &= 15
        r6 += r0
        r1 = *(u8 *)(r6 + 0)
        r0 = 2
        exit"),
        new("ringbuf_reserve_submit", VerifierProgramType.Xdp, @"
        ld_pseudo r1, 1, 9
        r2 = 8
        r3 = 0
        call 131
        if r0 == 0 goto +5
        r1 = 7
        *(u64 *)(r0 + 0) = r1
        r1 = r0
        r2 = 0
        call 132
        r0 = 2
        exit"),
        new("cgroup_skb_writes_mark", VerifierProgramType.CgroupSkb, @"
        r2 = 5
        *(u32 *)(r1 + 8) = r2
        r0 = 1
        exit", Attach: VerifierAttachType.CgroupInetIngress),
        new("cgroup_skb_egress_returns_3", VerifierProgramType.CgroupSkb, @"
        r0 = 3
        exit", Attach: VerifierAttachType.CgroupInetEgress),
        new("socket_filter_writes_cb", VerifierProgramType.SocketFilter, @"
        r2 = 5
        *(u32 *)(r1 + 48) = r2
        r0 = *(u32 *)(r1 + 0)
        exit"),
        new("spilled_pointer_restored", VerifierProgramType.Xdp, @"
        *(u64 *)(r10 - 8) = r1
        r1 = 0
        r1 = *(u64 *)(r10 - 8)
        r0 = *(u32 *)(r1 + 12)
        exit"),
        new("call_chain_of_eight", VerifierProgramType.Xdp, Chain(8)),
        new("sock_ops_sets_reply", VerifierProgramType.SockOps, @"
        r2 = *(u32 *)(r1 + 0)
        *(u32 *)(r1 + 4) = r2
        r0 = 1
        exit"),
        new("st_immediate_into_ctx", VerifierProgramType.SchedCls, @"
        *(u32 *)(r1 + 8) = 0
        r0 = 0
        exit"),
        new("u32_counter_in_aligned_stack_slot", VerifierProgramType.Xdp, U32CounterLoop(8)),
        new("lookup_key_in_map_value", VerifierProgramType.Xdp, LookupIn(8) + @"
        if r0 == 0 goto +4
        r2 = r0
        ld_pseudo r1, 1, 7
        call 1
        r0 = 2
        exit"),
    };

    /// <summary>main → f1 → … → f(n-1): n frames in all.</summary>
    private static string Chain(int frames)
    {
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < frames; i++)
        {
            if (i > 0) sb.Append($"f{i}:\n");
            if (i + 1 < frames) sb.Append($"        call f{i + 1}\n");
            sb.Append("        r0 = 0\n        exit\n");
        }
        return sb.ToString();
    }
}
