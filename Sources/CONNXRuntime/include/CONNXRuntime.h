// CONNXRuntime: the part of ONNX Runtime's C API (onnxruntime_c_api.h) that ONNXBackend calls.
//
// ONNX Runtime is not linked: libonnxruntime.so is dlopen'ed at run time (qort_load) and every call
// goes through the OrtApi table of function pointers it hands out. The PyPI wheel ships no headers,
// so this file re-declares what we use.
//
// ABI: OrtApi is append-only, and its member ORDER is the ABI. Every entry up to the last one we
// call (ReleaseCUDAProviderOptions, entry 208, API version 11) is declared below in exactly the
// order of onnxruntime_c_api.h; entries we don't call are `unusedNNN_<OrtName>` placeholders.
// CONNXRuntime.c pins the layout with _Static_asserts on ONNX Runtime's own version checkpoints
// (the asserts at the end of onnxruntime_c_api.cc) and on every member we call, and qort_load
// probes a few entries at run time before handing the table out.
#ifndef CONNXRUNTIME_H
#define CONNXRUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma clang assume_nonnull begin

/// The OrtApi version we ask GetApi for: the version that introduced the last entry we call
/// (the CUDA V2 provider options). Any ONNX Runtime >= 1.11 serves it.
#define QORT_API_VERSION 11u

// Opaque ONNX Runtime objects.
typedef struct OrtEnv OrtEnv;
typedef struct OrtStatus OrtStatus;
typedef struct OrtMemoryInfo OrtMemoryInfo;
typedef struct OrtSession OrtSession;
typedef struct OrtValue OrtValue;
typedef struct OrtRunOptions OrtRunOptions;
typedef struct OrtTypeInfo OrtTypeInfo;
typedef struct OrtTensorTypeAndShapeInfo OrtTensorTypeAndShapeInfo;
typedef struct OrtSessionOptions OrtSessionOptions;
typedef struct OrtTensorRTProviderOptionsV2 OrtTensorRTProviderOptionsV2;
typedef struct OrtCUDAProviderOptionsV2 OrtCUDAProviderOptionsV2;
typedef struct OrtAllocator OrtAllocator;  // a struct of callbacks in ORT; we only pass it through
typedef struct OrtModelMetadata OrtModelMetadata;

typedef enum ONNXTensorElementDataType {
    ONNX_TENSOR_ELEMENT_DATA_TYPE_UNDEFINED = 0,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT = 1,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 = 2,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 = 3,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 = 4,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 = 5,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 = 6,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 = 7,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING = 8,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL = 9,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 = 10,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE = 11,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 = 12,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64 = 13,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_COMPLEX64 = 14,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_COMPLEX128 = 15,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 = 16,
} ONNXTensorElementDataType;

typedef enum ONNXType {
    ONNX_TYPE_UNKNOWN = 0,
    ONNX_TYPE_TENSOR = 1,
    ONNX_TYPE_SEQUENCE = 2,
    ONNX_TYPE_MAP = 3,
    ONNX_TYPE_OPAQUE = 4,
    ONNX_TYPE_SPARSETENSOR = 5,
    ONNX_TYPE_OPTIONAL = 6,
} ONNXType;

typedef enum OrtLoggingLevel {
    ORT_LOGGING_LEVEL_VERBOSE = 0,
    ORT_LOGGING_LEVEL_INFO = 1,
    ORT_LOGGING_LEVEL_WARNING = 2,
    ORT_LOGGING_LEVEL_ERROR = 3,
    ORT_LOGGING_LEVEL_FATAL = 4,
} OrtLoggingLevel;

typedef enum OrtErrorCode {
    ORT_OK = 0,
    ORT_FAIL = 1,
    ORT_INVALID_ARGUMENT = 2,
    ORT_NO_SUCHFILE = 3,
    ORT_NO_MODEL = 4,
    ORT_ENGINE_ERROR = 5,
    ORT_RUNTIME_EXCEPTION = 6,
    ORT_INVALID_PROTOBUF = 7,
    ORT_MODEL_LOADED = 8,
    ORT_NOT_IMPLEMENTED = 9,
    ORT_INVALID_GRAPH = 10,
    ORT_EP_FAIL = 11,
} OrtErrorCode;

typedef enum GraphOptimizationLevel {
    ORT_DISABLE_ALL = 0,
    ORT_ENABLE_BASIC = 1,
    ORT_ENABLE_EXTENDED = 2,
    ORT_ENABLE_ALL = 99,
} GraphOptimizationLevel;

typedef enum ExecutionMode {
    ORT_SEQUENTIAL = 0,
    ORT_PARALLEL = 1,
} ExecutionMode;

typedef enum OrtAllocatorType {
    OrtInvalidAllocator = -1,
    OrtDeviceAllocator = 0,
    OrtArenaAllocator = 1,
} OrtAllocatorType;

typedef enum OrtMemType {
    OrtMemTypeCPUInput = -2,
    OrtMemTypeCPUOutput = -1,
    OrtMemTypeCPU = OrtMemTypeCPUOutput,
    OrtMemTypeDefault = 0,
} OrtMemType;

typedef struct OrtApi OrtApi;

/// What OrtGetApiBase() returns. Never versioned, never changes.
typedef struct OrtApiBase {
    const OrtApi *_Nullable (*_Nonnull GetApi)(uint32_t version);
    const char *_Nonnull (*_Nonnull GetVersionString)(void);
} OrtApiBase;

/// ONNX Runtime's C API, entries 0 through 208 (see the ABI note at the top).
/// Functions returning `OrtStatus *` return NULL on success; a non-NULL status must be released
/// with ReleaseStatus.
struct OrtApi {
    /*   0 */ OrtStatus *_Nullable (*_Nonnull CreateStatus)(OrtErrorCode code, const char *msg);
    /*   1 */ OrtErrorCode (*_Nonnull GetErrorCode)(const OrtStatus *status);
    /*   2 */ const char *_Nonnull (*_Nonnull GetErrorMessage)(const OrtStatus *status);
    /*   3 */ OrtStatus *_Nullable (*_Nonnull CreateEnv)(OrtLoggingLevel log_severity_level, const char *logid, OrtEnv *_Nullable *_Nonnull out);
    /*   4 */ void *_Nullable unused004_CreateEnvWithCustomLogger;
    /*   5 */ void *_Nullable unused005_EnableTelemetryEvents;
    /*   6 */ void *_Nullable unused006_DisableTelemetryEvents;
    /*   7 */ OrtStatus *_Nullable (*_Nonnull CreateSession)(const OrtEnv *env, const char *model_path, const OrtSessionOptions *options, OrtSession *_Nullable *_Nonnull out);
    /*   8 */ void *_Nullable unused008_CreateSessionFromArray;
    /*   9 */ OrtStatus *_Nullable (*_Nonnull Run)(OrtSession *session, const OrtRunOptions *_Nullable run_options, const char *_Nonnull const *_Nonnull input_names, const OrtValue *_Nonnull const *_Nonnull inputs, size_t input_len, const char *_Nonnull const *_Nonnull output_names, size_t output_names_len, OrtValue *_Nullable *_Nonnull outputs);
    /*  10 */ OrtStatus *_Nullable (*_Nonnull CreateSessionOptions)(OrtSessionOptions *_Nullable *_Nonnull options);
    /*  11 */ void *_Nullable unused011_SetOptimizedModelFilePath;
    /*  12 */ void *_Nullable unused012_CloneSessionOptions;
    /*  13 */ OrtStatus *_Nullable (*_Nonnull SetSessionExecutionMode)(OrtSessionOptions *options, ExecutionMode execution_mode);
    /*  14 */ void *_Nullable unused014_EnableProfiling;
    /*  15 */ void *_Nullable unused015_DisableProfiling;
    /*  16 */ void *_Nullable unused016_EnableMemPattern;
    /*  17 */ void *_Nullable unused017_DisableMemPattern;
    /*  18 */ void *_Nullable unused018_EnableCpuMemArena;
    /*  19 */ void *_Nullable unused019_DisableCpuMemArena;
    /*  20 */ void *_Nullable unused020_SetSessionLogId;
    /*  21 */ void *_Nullable unused021_SetSessionLogVerbosityLevel;
    /*  22 */ void *_Nullable unused022_SetSessionLogSeverityLevel;
    /*  23 */ OrtStatus *_Nullable (*_Nonnull SetSessionGraphOptimizationLevel)(OrtSessionOptions *options, GraphOptimizationLevel graph_optimization_level);
    /*  24 */ OrtStatus *_Nullable (*_Nonnull SetIntraOpNumThreads)(OrtSessionOptions *options, int intra_op_num_threads);
    /*  25 */ OrtStatus *_Nullable (*_Nonnull SetInterOpNumThreads)(OrtSessionOptions *options, int inter_op_num_threads);
    /*  26 */ void *_Nullable unused026_CreateCustomOpDomain;
    /*  27 */ void *_Nullable unused027_CustomOpDomain_Add;
    /*  28 */ void *_Nullable unused028_AddCustomOpDomain;
    /*  29 */ void *_Nullable unused029_RegisterCustomOpsLibrary;
    /*  30 */ OrtStatus *_Nullable (*_Nonnull SessionGetInputCount)(const OrtSession *session, size_t *out);
    /*  31 */ OrtStatus *_Nullable (*_Nonnull SessionGetOutputCount)(const OrtSession *session, size_t *out);
    /*  32 */ void *_Nullable unused032_SessionGetOverridableInitializerCount;
    /*  33 */ OrtStatus *_Nullable (*_Nonnull SessionGetInputTypeInfo)(const OrtSession *session, size_t index, OrtTypeInfo *_Nullable *_Nonnull type_info);
    /*  34 */ OrtStatus *_Nullable (*_Nonnull SessionGetOutputTypeInfo)(const OrtSession *session, size_t index, OrtTypeInfo *_Nullable *_Nonnull type_info);
    /*  35 */ void *_Nullable unused035_SessionGetOverridableInitializerTypeInfo;
    /*  36 */ OrtStatus *_Nullable (*_Nonnull SessionGetInputName)(const OrtSession *session, size_t index, OrtAllocator *allocator, char *_Nullable *_Nonnull value);
    /*  37 */ OrtStatus *_Nullable (*_Nonnull SessionGetOutputName)(const OrtSession *session, size_t index, OrtAllocator *allocator, char *_Nullable *_Nonnull value);
    /*  38 */ void *_Nullable unused038_SessionGetOverridableInitializerName;
    /*  39 */ void *_Nullable unused039_CreateRunOptions;
    /*  40 */ void *_Nullable unused040_RunOptionsSetRunLogVerbosityLevel;
    /*  41 */ void *_Nullable unused041_RunOptionsSetRunLogSeverityLevel;
    /*  42 */ void *_Nullable unused042_RunOptionsSetRunTag;
    /*  43 */ void *_Nullable unused043_RunOptionsGetRunLogVerbosityLevel;
    /*  44 */ void *_Nullable unused044_RunOptionsGetRunLogSeverityLevel;
    /*  45 */ void *_Nullable unused045_RunOptionsGetRunTag;
    /*  46 */ void *_Nullable unused046_RunOptionsSetTerminate;
    /*  47 */ void *_Nullable unused047_RunOptionsUnsetTerminate;
    /*  48 */ void *_Nullable unused048_CreateTensorAsOrtValue;
    /*  49 */ OrtStatus *_Nullable (*_Nonnull CreateTensorWithDataAsOrtValue)(const OrtMemoryInfo *info, void *p_data, size_t p_data_len, const int64_t *shape, size_t shape_len, ONNXTensorElementDataType type, OrtValue *_Nullable *_Nonnull out);
    /*  50 */ void *_Nullable unused050_IsTensor;
    /*  51 */ OrtStatus *_Nullable (*_Nonnull GetTensorMutableData)(OrtValue *value, void *_Nullable *_Nonnull out);
    /*  52 */ void *_Nullable unused052_FillStringTensor;
    /*  53 */ void *_Nullable unused053_GetStringTensorDataLength;
    /*  54 */ void *_Nullable unused054_GetStringTensorContent;
    /*  55 */ OrtStatus *_Nullable (*_Nonnull CastTypeInfoToTensorInfo)(const OrtTypeInfo *type_info, const OrtTensorTypeAndShapeInfo *_Nullable *_Nonnull out);
    /*  56 */ OrtStatus *_Nullable (*_Nonnull GetOnnxTypeFromTypeInfo)(const OrtTypeInfo *type_info, ONNXType *out);
    /*  57 */ void *_Nullable unused057_CreateTensorTypeAndShapeInfo;
    /*  58 */ void *_Nullable unused058_SetTensorElementType;
    /*  59 */ void *_Nullable unused059_SetDimensions;
    /*  60 */ OrtStatus *_Nullable (*_Nonnull GetTensorElementType)(const OrtTensorTypeAndShapeInfo *info, ONNXTensorElementDataType *out);
    /*  61 */ OrtStatus *_Nullable (*_Nonnull GetDimensionsCount)(const OrtTensorTypeAndShapeInfo *info, size_t *out);
    /*  62 */ OrtStatus *_Nullable (*_Nonnull GetDimensions)(const OrtTensorTypeAndShapeInfo *info, int64_t *dim_values, size_t dim_values_length);
    /*  63 */ void *_Nullable unused063_GetSymbolicDimensions;
    /*  64 */ void *_Nullable unused064_GetTensorShapeElementCount;
    /*  65 */ OrtStatus *_Nullable (*_Nonnull GetTensorTypeAndShape)(const OrtValue *value, OrtTensorTypeAndShapeInfo *_Nullable *_Nonnull out);
    /*  66 */ void *_Nullable unused066_GetTypeInfo;
    /*  67 */ void *_Nullable unused067_GetValueType;
    /*  68 */ void *_Nullable unused068_CreateMemoryInfo;
    /*  69 */ OrtStatus *_Nullable (*_Nonnull CreateCpuMemoryInfo)(OrtAllocatorType type, OrtMemType mem_type, OrtMemoryInfo *_Nullable *_Nonnull out);
    /*  70 */ void *_Nullable unused070_CompareMemoryInfo;
    /*  71 */ OrtStatus *_Nullable (*_Nonnull MemoryInfoGetName)(const OrtMemoryInfo *ptr, const char *_Nullable *_Nonnull out);
    /*  72 */ OrtStatus *_Nullable (*_Nonnull MemoryInfoGetId)(const OrtMemoryInfo *ptr, int *out);
    /*  73 */ OrtStatus *_Nullable (*_Nonnull MemoryInfoGetMemType)(const OrtMemoryInfo *ptr, OrtMemType *out);
    /*  74 */ OrtStatus *_Nullable (*_Nonnull MemoryInfoGetType)(const OrtMemoryInfo *ptr, OrtAllocatorType *out);
    /*  75 */ void *_Nullable unused075_AllocatorAlloc;
    /*  76 */ OrtStatus *_Nullable (*_Nonnull AllocatorFree)(OrtAllocator *ort_allocator, void *_Nullable p);
    /*  77 */ void *_Nullable unused077_AllocatorGetInfo;
    /*  78 */ OrtStatus *_Nullable (*_Nonnull GetAllocatorWithDefaultOptions)(OrtAllocator *_Nullable *_Nonnull out);
    /*  79 */ void *_Nullable unused079_AddFreeDimensionOverride;
    /*  80 */ void *_Nullable unused080_GetValue;
    /*  81 */ void *_Nullable unused081_GetValueCount;
    /*  82 */ void *_Nullable unused082_CreateValue;
    /*  83 */ void *_Nullable unused083_CreateOpaqueValue;
    /*  84 */ void *_Nullable unused084_GetOpaqueValue;
    /*  85 */ void *_Nullable unused085_KernelInfoGetAttribute_float;
    /*  86 */ void *_Nullable unused086_KernelInfoGetAttribute_int64;
    /*  87 */ void *_Nullable unused087_KernelInfoGetAttribute_string;
    /*  88 */ void *_Nullable unused088_KernelContext_GetInputCount;
    /*  89 */ void *_Nullable unused089_KernelContext_GetOutputCount;
    /*  90 */ void *_Nullable unused090_KernelContext_GetInput;
    /*  91 */ void *_Nullable unused091_KernelContext_GetOutput;
    /*  92 */ void (*_Nonnull ReleaseEnv)(OrtEnv *_Nullable input);
    /*  93 */ void (*_Nonnull ReleaseStatus)(OrtStatus *_Nullable input);
    /*  94 */ void (*_Nonnull ReleaseMemoryInfo)(OrtMemoryInfo *_Nullable input);
    /*  95 */ void (*_Nonnull ReleaseSession)(OrtSession *_Nullable input);
    /*  96 */ void (*_Nonnull ReleaseValue)(OrtValue *_Nullable input);
    /*  97 */ void *_Nullable unused097_ReleaseRunOptions;
    /*  98 */ void (*_Nonnull ReleaseTypeInfo)(OrtTypeInfo *_Nullable input);
    /*  99 */ void (*_Nonnull ReleaseTensorTypeAndShapeInfo)(OrtTensorTypeAndShapeInfo *_Nullable input);
    /* 100 */ void (*_Nonnull ReleaseSessionOptions)(OrtSessionOptions *_Nullable input);
    /* 101 */ void *_Nullable unused101_ReleaseCustomOpDomain;
    /* 102 */ void *_Nullable unused102_GetDenotationFromTypeInfo;
    /* 103 */ void *_Nullable unused103_CastTypeInfoToMapTypeInfo;
    /* 104 */ void *_Nullable unused104_CastTypeInfoToSequenceTypeInfo;
    /* 105 */ void *_Nullable unused105_GetMapKeyType;
    /* 106 */ void *_Nullable unused106_GetMapValueType;
    /* 107 */ void *_Nullable unused107_GetSequenceElementType;
    /* 108 */ void *_Nullable unused108_ReleaseMapTypeInfo;
    /* 109 */ void *_Nullable unused109_ReleaseSequenceTypeInfo;
    /* 110 */ void *_Nullable unused110_SessionEndProfiling;
    /* 111 */ OrtStatus *_Nullable (*_Nonnull SessionGetModelMetadata)(const OrtSession *session, OrtModelMetadata *_Nullable *_Nonnull out);
    /* 112 */ void *_Nullable unused112_ModelMetadataGetProducerName;
    /* 113 */ void *_Nullable unused113_ModelMetadataGetGraphName;
    /* 114 */ void *_Nullable unused114_ModelMetadataGetDomain;
    /* 115 */ void *_Nullable unused115_ModelMetadataGetDescription;
    /* 116 */ OrtStatus *_Nullable (*_Nonnull ModelMetadataLookupCustomMetadataMap)(const OrtModelMetadata *model_metadata, OrtAllocator *allocator, const char *key, char *_Nullable *_Nonnull value);
    /* 117 */ void *_Nullable unused117_ModelMetadataGetVersion;
    /* 118 */ void (*_Nonnull ReleaseModelMetadata)(OrtModelMetadata *_Nullable input);
    /* 119 */ void *_Nullable unused119_CreateEnvWithGlobalThreadPools;
    /* 120 */ void *_Nullable unused120_DisablePerSessionThreads;
    /* 121 */ void *_Nullable unused121_CreateThreadingOptions;
    /* 122 */ void *_Nullable unused122_ReleaseThreadingOptions;
    /* 123 */ void *_Nullable unused123_ModelMetadataGetCustomMetadataMapKeys;
    /* 124 */ void *_Nullable unused124_AddFreeDimensionOverrideByName;
    /* 125 */ OrtStatus *_Nullable (*_Nonnull GetAvailableProviders)(char *_Nullable *_Nullable *_Nonnull out_ptr, int *provider_length);
    /* 126 */ OrtStatus *_Nullable (*_Nonnull ReleaseAvailableProviders)(char *_Nullable *_Nullable ptr, int providers_length);
    /* 127 */ void *_Nullable unused127_GetStringTensorElementLength;
    /* 128 */ void *_Nullable unused128_GetStringTensorElement;
    /* 129 */ void *_Nullable unused129_FillStringTensorElement;
    /* 130 */ OrtStatus *_Nullable (*_Nonnull AddSessionConfigEntry)(OrtSessionOptions *options, const char *config_key, const char *config_value);
    /* 131 */ void *_Nullable unused131_CreateAllocator;
    /* 132 */ void *_Nullable unused132_ReleaseAllocator;
    /* 133 */ void *_Nullable unused133_RunWithBinding;
    /* 134 */ void *_Nullable unused134_CreateIoBinding;
    /* 135 */ void *_Nullable unused135_ReleaseIoBinding;
    /* 136 */ void *_Nullable unused136_BindInput;
    /* 137 */ void *_Nullable unused137_BindOutput;
    /* 138 */ void *_Nullable unused138_BindOutputToDevice;
    /* 139 */ void *_Nullable unused139_GetBoundOutputNames;
    /* 140 */ void *_Nullable unused140_GetBoundOutputValues;
    /* 141 */ void *_Nullable unused141_ClearBoundInputs;
    /* 142 */ void *_Nullable unused142_ClearBoundOutputs;
    /* 143 */ void *_Nullable unused143_TensorAt;
    /* 144 */ void *_Nullable unused144_CreateAndRegisterAllocator;
    /* 145 */ void *_Nullable unused145_SetLanguageProjection;
    /* 146 */ void *_Nullable unused146_SessionGetProfilingStartTimeNs;
    /* 147 */ void *_Nullable unused147_SetGlobalIntraOpNumThreads;
    /* 148 */ void *_Nullable unused148_SetGlobalInterOpNumThreads;
    /* 149 */ void *_Nullable unused149_SetGlobalSpinControl;
    /* 150 */ void *_Nullable unused150_AddInitializer;
    /* 151 */ void *_Nullable unused151_CreateEnvWithCustomLoggerAndGlobalThreadPools;
    /* 152 */ void *_Nullable unused152_SessionOptionsAppendExecutionProvider_CUDA;
    /* 153 */ void *_Nullable unused153_SessionOptionsAppendExecutionProvider_ROCM;
    /* 154 */ void *_Nullable unused154_SessionOptionsAppendExecutionProvider_OpenVINO;
    /* 155 */ void *_Nullable unused155_SetGlobalDenormalAsZero;
    /* 156 */ void *_Nullable unused156_CreateArenaCfg;
    /* 157 */ void *_Nullable unused157_ReleaseArenaCfg;
    /* 158 */ void *_Nullable unused158_ModelMetadataGetGraphDescription;
    /* 159 */ void *_Nullable unused159_SessionOptionsAppendExecutionProvider_TensorRT;
    /* 160 */ void *_Nullable unused160_SetCurrentGpuDeviceId;
    /* 161 */ void *_Nullable unused161_GetCurrentGpuDeviceId;
    /* 162 */ void *_Nullable unused162_KernelInfoGetAttributeArray_float;
    /* 163 */ void *_Nullable unused163_KernelInfoGetAttributeArray_int64;
    /* 164 */ void *_Nullable unused164_CreateArenaCfgV2;
    /* 165 */ void *_Nullable unused165_AddRunConfigEntry;
    /* 166 */ void *_Nullable unused166_CreatePrepackedWeightsContainer;
    /* 167 */ void *_Nullable unused167_ReleasePrepackedWeightsContainer;
    /* 168 */ void *_Nullable unused168_CreateSessionWithPrepackedWeightsContainer;
    /* 169 */ void *_Nullable unused169_CreateSessionFromArrayWithPrepackedWeightsContainer;
    /* 170 */ OrtStatus *_Nullable (*_Nonnull SessionOptionsAppendExecutionProvider_TensorRT_V2)(OrtSessionOptions *options, const OrtTensorRTProviderOptionsV2 *tensorrt_options);
    /* 171 */ OrtStatus *_Nullable (*_Nonnull CreateTensorRTProviderOptions)(OrtTensorRTProviderOptionsV2 *_Nullable *_Nonnull out);
    /* 172 */ OrtStatus *_Nullable (*_Nonnull UpdateTensorRTProviderOptions)(OrtTensorRTProviderOptionsV2 *tensorrt_options, const char *_Nonnull const *_Nonnull provider_options_keys, const char *_Nonnull const *_Nonnull provider_options_values, size_t num_keys);
    /* 173 */ void *_Nullable unused173_GetTensorRTProviderOptionsAsString;
    /* 174 */ void (*_Nonnull ReleaseTensorRTProviderOptions)(OrtTensorRTProviderOptionsV2 *_Nullable input);
    /* 175 */ void *_Nullable unused175_EnableOrtCustomOps;
    /* 176 */ void *_Nullable unused176_RegisterAllocator;
    /* 177 */ void *_Nullable unused177_UnregisterAllocator;
    /* 178 */ void *_Nullable unused178_IsSparseTensor;
    /* 179 */ void *_Nullable unused179_CreateSparseTensorAsOrtValue;
    /* 180 */ void *_Nullable unused180_FillSparseTensorCoo;
    /* 181 */ void *_Nullable unused181_FillSparseTensorCsr;
    /* 182 */ void *_Nullable unused182_FillSparseTensorBlockSparse;
    /* 183 */ void *_Nullable unused183_CreateSparseTensorWithValuesAsOrtValue;
    /* 184 */ void *_Nullable unused184_UseCooIndices;
    /* 185 */ void *_Nullable unused185_UseCsrIndices;
    /* 186 */ void *_Nullable unused186_UseBlockSparseIndices;
    /* 187 */ void *_Nullable unused187_GetSparseTensorFormat;
    /* 188 */ void *_Nullable unused188_GetSparseTensorValuesTypeAndShape;
    /* 189 */ void *_Nullable unused189_GetSparseTensorValues;
    /* 190 */ void *_Nullable unused190_GetSparseTensorIndicesTypeShape;
    /* 191 */ void *_Nullable unused191_GetSparseTensorIndices;
    /* 192 */ void *_Nullable unused192_HasValue;
    /* 193 */ void *_Nullable unused193_KernelContext_GetGPUComputeStream;
    /* 194 */ void *_Nullable unused194_GetTensorMemoryInfo;
    /* 195 */ void *_Nullable unused195_GetExecutionProviderApi;
    /* 196 */ void *_Nullable unused196_SessionOptionsSetCustomCreateThreadFn;
    /* 197 */ void *_Nullable unused197_SessionOptionsSetCustomThreadCreationOptions;
    /* 198 */ void *_Nullable unused198_SessionOptionsSetCustomJoinThreadFn;
    /* 199 */ void *_Nullable unused199_SetGlobalCustomCreateThreadFn;
    /* 200 */ void *_Nullable unused200_SetGlobalCustomThreadCreationOptions;
    /* 201 */ void *_Nullable unused201_SetGlobalCustomJoinThreadFn;
    /* 202 */ void *_Nullable unused202_SynchronizeBoundInputs;
    /* 203 */ void *_Nullable unused203_SynchronizeBoundOutputs;
    /* 204 */ OrtStatus *_Nullable (*_Nonnull SessionOptionsAppendExecutionProvider_CUDA_V2)(OrtSessionOptions *options, const OrtCUDAProviderOptionsV2 *cuda_options);
    /* 205 */ OrtStatus *_Nullable (*_Nonnull CreateCUDAProviderOptions)(OrtCUDAProviderOptionsV2 *_Nullable *_Nonnull out);
    /* 206 */ OrtStatus *_Nullable (*_Nonnull UpdateCUDAProviderOptions)(OrtCUDAProviderOptionsV2 *cuda_options, const char *_Nonnull const *_Nonnull provider_options_keys, const char *_Nonnull const *_Nonnull provider_options_values, size_t num_keys);
    /* 207 */ void *_Nullable unused207_GetCUDAProviderOptionsAsString;
    /* 208 */ void (*_Nonnull ReleaseCUDAProviderOptions)(OrtCUDAProviderOptionsV2 *_Nullable input);
};

/// Why qort_load failed.
typedef enum QORTLoadFailure {
    QORT_LOAD_OK = 0,
    /// dlopen failed (the file is missing or is not a loadable library).
    QORT_LOAD_LIBRARY = 1,
    /// The library has no OrtGetApiBase (not ONNX Runtime).
    QORT_LOAD_SYMBOL = 2,
    /// GetApi(QORT_API_VERSION) returned NULL (ONNX Runtime older than 1.11).
    QORT_LOAD_API_VERSION = 3,
    /// The run-time probes of the OrtApi table failed (a layout mismatch).
    QORT_LOAD_ABI = 4,
} QORTLoadFailure;

/// dlopen()s `path` (RTLD_NOW | RTLD_LOCAL), resolves OrtGetApiBase, asks for QORT_API_VERSION and
/// probes the table (qort_check_abi). On success returns the table and, when `version_out` is given,
/// the library's version string ("1.31.1"). On failure returns NULL, sets `*failure` and writes a
/// one-line explanation (naming `path` and dlerror()'s text where there is one) into `err`.
/// The library is never dlclose'd: ONNX Runtime objects live for the process.
const OrtApi *_Nullable qort_load(const char *path, const char *_Nullable *_Nullable version_out,
                                  QORTLoadFailure *failure, char *err, size_t errlen);

/// Calls a few harmless entries of `api` whose results are known (status round trip, CPU memory
/// info getters, the available-provider list) to catch a wrong member order. Returns 0 when all
/// agree; otherwise non-zero with an explanation in `err`.
int qort_check_abi(const OrtApi *api, char *err, size_t errlen);

#pragma clang assume_nonnull end

#ifdef __cplusplus
}
#endif

#endif  // CONNXRUNTIME_H
