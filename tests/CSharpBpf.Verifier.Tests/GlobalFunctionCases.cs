using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Object.Btf;

namespace CSharpBpf.Verifier.Tests;

/// <summary>
/// Global (and twin static) functions with the verdict Linux 6.18 gives them: a global function is verified once on
/// its own from its BTF prototype (ctx pointer → ctx, int → any scalar, pointer to a sized type → memory of that size
/// that may be NULL), callers' arguments are checked against the prototype and r0 is unknown after the call.
/// </summary>
public static class GlobalFunctionCases
{
    private const string PassPair = @"
        r1 = 0
        *(u64 *)(r10 - 8) = r1
        r1 = r10
        r1 += -8
";

    private const string ReadPairChecked = @"
gfn:
        r0 = 0
        if r1 == 0 goto out
        r0 = *(u32 *)(r1 + 4)
out:
        exit";

    private const string CallerUsesReturnAsPacketOffset = @"
        r6 = r1
        r1 = 3
        call gfn
        r2 = *(u32 *)(r6 + 0)
        r3 = *(u32 *)(r6 + 4)
        r2 += r0
        r4 = r2
        r4 += 1
        if r4 > r3 goto +1
        r0 = *(u8 *)(r2 + 0)
        r0 = 2
        exit
gfn:
        r0 = 4
        exit";

    private const string IndexIntoPair = PassPair + @"
        r2 = 3
        call gfn
        r0 = 2
        exit
gfn:
        r0 = 0
        if r1 == 0 goto out
        r1 += r2
        r0 = *(u8 *)(r1 + 0)
out:
        exit";

    private const string CallIf = @"
        r0 = {0}
        if r0 == 2 goto +2
        r1 = 0
        call gfn
        r0 = 2
        exit
gfn:
        r0 = *(u64 *)(r1 + 0)
        exit";

    private const string StackUse = @"
        r1 = 0
        *(u64 *)(r10 - {0}) = r1
        r1 = 1
        call gfn
        r0 = 2
        exit
gfn:
        r2 = 0
        *(u64 *)(r10 - {0}) = r2
        r0 = 0
        exit";

    public static readonly GlobalFunctionCase[] All =
    {
        new("ctx_arg_packet_access_checked", @"
        call gfn
        r0 = 2
        exit
gfn:
        r2 = *(u32 *)(r1 + 0)
        r3 = *(u32 *)(r1 + 4)
        r4 = r2
        r4 += 1
        r0 = 0
        if r4 > r3 goto +1
        r0 = *(u8 *)(r2 + 0)
        exit", true, new[] { ParamKind.Ctx }),
        new("ctx_arg_packet_access_unchecked", @"
        call gfn
        r0 = 2
        exit
gfn:
        r2 = *(u32 *)(r1 + 0)
        r0 = *(u8 *)(r2 + 0)
        exit", false, new[] { ParamKind.Ctx }),
        new("ctx_arg_given_stack_pointer", @"
        r1 = r10
        r1 += -8
        call gfn
        r0 = 2
        exit
gfn:
        r0 = 0
        exit", false, new[] { ParamKind.Ctx }, Code: VerifierErrorCodes.BadHelperArg),
        new("ctx_arg_given_modified_ctx", @"
        r1 += 4
        call gfn
        r0 = 2
        exit
gfn:
        r0 = 0
        exit", false, new[] { ParamKind.Ctx }, Code: VerifierErrorCodes.ModifiedCtx),
        new("caller_relies_on_constant_return_of_global", CallerUsesReturnAsPacketOffset, false, new[] { ParamKind.Int }),
        new("caller_relies_on_constant_return_of_static", CallerUsesReturnAsPacketOffset, true, new[] { ParamKind.Int }, BtfFuncLinkage.Static),
        new("pointer_arg_dereferenced_without_null_check", PassPair + @"
        call gfn
        r0 = 2
        exit
gfn:
        r0 = *(u32 *)(r1 + 0)
        exit", false, new[] { ParamKind.PairPtr }, Code: VerifierErrorCodes.NullPointer),
        new("pointer_arg_null_checked", PassPair + @"
        call gfn
        r0 = 2
        exit" + ReadPairChecked, true, new[] { ParamKind.PairPtr }),
        new("pointer_arg_tagged_nonnull_needs_no_check", PassPair + @"
        call gfn
        r0 = 2
        exit
gfn:
        r0 = *(u32 *)(r1 + 0)
        exit", true, new[] { ParamKind.PairPtrNonNull }),
        new("pointer_arg_tagged_nonnull_given_null", @"
        r1 = 0
        call gfn
        r0 = 2
        exit
gfn:
        r0 = *(u32 *)(r1 + 0)
        exit", true, new[] { ParamKind.PairPtrNonNull }),
        new("pointer_arg_read_past_its_type", PassPair + @"
        call gfn
        r0 = 2
        exit
gfn:
        r0 = 0
        if r1 == 0 goto out
        r0 = *(u32 *)(r1 + 8)
out:
        exit", false, new[] { ParamKind.PairPtr }),
        new("caller_passes_null_pointer", @"
        r1 = 0
        call gfn
        r0 = 2
        exit" + ReadPairChecked, true, new[] { ParamKind.PairPtr }),
        new("caller_passes_too_small_stack_buffer", @"
        r1 = 0
        *(u32 *)(r10 - 4) = r1
        r1 = r10
        r1 += -4
        call gfn
        r0 = 2
        exit" + ReadPairChecked, false, new[] { ParamKind.PairPtr }),
        new("caller_passes_number_for_pointer", @"
        r1 = 5
        call gfn
        r0 = 2
        exit" + ReadPairChecked, false, new[] { ParamKind.PairPtr }),
        new("caller_passes_ctx_for_int", @"
        call gfn
        r0 = 2
        exit
gfn:
        r0 = 0
        exit", false, new[] { ParamKind.Int }, Code: VerifierErrorCodes.BadHelperArg),
        new("scalar_arg_used_as_unbounded_index_global", IndexIntoPair, false, new[] { ParamKind.PairPtr, ParamKind.Int }),
        new("scalar_arg_used_as_index_static_constant", IndexIntoPair, true, new[] { ParamKind.PairPtr, ParamKind.Int }, BtfFuncLinkage.Static),
        new("scalar_arg_bounded_before_indexing", PassPair + @"
        r2 = 3
        call gfn
        r0 = 2
        exit
gfn:
        r0 = 0
        if r1 == 0 goto out
        if r2 > 7 goto out
        r1 += r2
        r0 = *(u8 *)(r1 + 0)
out:
        exit", true, new[] { ParamKind.PairPtr, ParamKind.Int }),
        new("global_reads_register_beyond_its_args", @"
        r1 = 1
        r2 = 2
        call gfn
        r0 = 2
        exit
gfn:
        r0 = r2
        exit", false, new[] { ParamKind.Int }, Code: VerifierErrorCodes.UninitRegister),
        new("static_reads_register_the_caller_set", @"
        r1 = 1
        r2 = 2
        call gfn
        r0 = 2
        exit
gfn:
        r0 = r2
        exit", true, new[] { ParamKind.Int }, BtfFuncLinkage.Static),
        new("global_returning_void", @"
        r1 = 1
        call gfn
        r0 = 2
        exit
gfn:
        r0 = 0
        exit", false, new[] { ParamKind.Int }, ReturnsVoid: true, Code: VerifierErrorCodes.InvalidCall),
        new("global_returning_a_pointer", @"
        call gfn
        r0 = 2
        exit
gfn:
        r0 = r1
        exit", false, new[] { ParamKind.Ctx }, Code: VerifierErrorCodes.InvalidReturnValue),
        new("global_with_void_pointer_arg", @"
        r1 = 0
        call gfn
        r0 = 2
        exit
gfn:
        r0 = 0
        exit", false, new[] { ParamKind.VoidPtr }),
        new("caller_and_global_stacks_together_too_large", string.Format(StackUse, 304), false, new[] { ParamKind.Int },
            Code: VerifierErrorCodes.StackTooLarge),
        new("caller_and_global_stacks_fit_together", string.Format(StackUse, 200), true, new[] { ParamKind.Int }),
        new("global_with_six_args", @"
        r1 = 1
        call gfn
        r0 = 2
        exit
gfn:
        r0 = 0
        exit", false, Enumerable.Repeat(ParamKind.Int, 6).ToArray(), Code: VerifierErrorCodes.InvalidCall),
        new("global_with_a_struct_by_value", @"
        r1 = 1
        call gfn
        r0 = 2
        exit
gfn:
        r0 = 0
        exit", false, new[] { ParamKind.PairByValue }, Code: VerifierErrorCodes.InvalidCall),
        new("global_never_called_is_not_verified", string.Format(CallIf, 2), true, new[] { ParamKind.Int }),
        new("global_called_is_verified", string.Format(CallIf, 3), false, new[] { ParamKind.Int }),
    };

    public static IEnumerable<object[]> Cases()
    {
        foreach (var c in All) yield return new object[] { c };
    }
}
