namespace CSharpBpf.Verifier;

/// <summary>Stable error codes; analyzers map them to BPF1xxx diagnostics, so never rename one.</summary>
public static class VerifierErrorCodes
{
    // structure
    public const string InvalidInstruction = "invalid_instruction";
    public const string JumpOutOfRange = "jump_out_of_range";
    public const string JumpIntoLdImm64 = "jump_into_ld_imm64";
    public const string UnreachableInstruction = "unreachable_insn";
    public const string FallOffEnd = "fall_off_end";
    public const string InvalidCall = "invalid_call";
    public const string CallDepth = "call_depth";
    public const string StackTooLarge = "stack_too_large";
    public const string EmptyProgram = "empty_program";
    // path exploration
    public const string TooComplex = "too_complex";
    public const string UnboundedLoop = "unbounded_loop";
    // registers and memory
    public const string UninitRegister = "uninit_register";
    public const string UninitStack = "uninit_stack";
    public const string InvalidStackAccess = "invalid_stack_access";
    public const string InvalidMemAccess = "invalid_mem_access";
    public const string NullMapValue = "null_map_value";
    public const string NullPointer = "null_ptr_access";
    public const string MapValueOutOfRange = "map_value_out_of_range";
    public const string UnboundedMemAccess = "unbounded_mem_access";
    public const string PacketOutOfRange = "pkt_out_of_range";
    public const string InvalidCtxAccess = "invalid_ctx_access";
    public const string ReadOnlyCtx = "read_only_ctx";
    public const string ModifiedCtx = "modified_ctx";
    public const string InvalidPtrArith = "invalid_ptr_arith";
    public const string FramePointerWrite = "frame_pointer_write";
    public const string MisalignedAccess = "misaligned_access";
    public const string ReadOnlyMap = "read_only_map";
    // helpers and calls
    public const string UnknownHelper = "unknown_helper";
    public const string BadHelperArg = "bad_helper_arg";
    public const string HelperMapIncompatible = "helper_map_incompatible";
    public const string UnreleasedReference = "unreleased_reference";
    public const string InvalidReturnValue = "invalid_return_value";
    public const string DivisionByZero = "div_by_zero";
}
