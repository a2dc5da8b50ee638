//! The parts of a ClinicalTrials.gov API v2 study that trls reads, as serde types.
//!
//! Every field is optional and unknown fields are ignored: a snapshot saved from
//! any version of the API deserialises, and what it lacks is simply absent. Field
//! names follow the public v2 data model (`protocolSection.statusModule.
//! overallStatus`, ...). Enumerations are kept as the strings the registry writes;
//! they are TRF's vocabularies already.

use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Study {
    pub protocol_section: ProtocolSection,
    pub results_section: Option<ResultsSection>,
    pub has_results: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ProtocolSection {
    pub identification_module: IdentificationModule,
    pub status_module: StatusModule,
    pub sponsor_collaborators_module: SponsorCollaboratorsModule,
    pub description_module: DescriptionModule,
    pub conditions_module: ConditionsModule,
    pub design_module: DesignModule,
    pub arms_interventions_module: ArmsInterventionsModule,
    pub outcomes_module: OutcomesModule,
    pub eligibility_module: EligibilityModule,
    pub contacts_locations_module: ContactsLocationsModule,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct IdentificationModule {
    pub nct_id: Option<String>,
    pub org_study_id_info: Option<OrgStudyIdInfo>,
    pub secondary_id_infos: Vec<SecondaryIdInfo>,
    pub brief_title: Option<String>,
    pub official_title: Option<String>,
    pub acronym: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct OrgStudyIdInfo {
    pub id: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SecondaryIdInfo {
    pub id: Option<String>,
    /// `REGISTRY`, `EUDRACT_NUMBER`, `CTIS`, `NIH`, `FDA`, `OTHER_GRANT`, `OTHER`, ...
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub domain: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct StatusModule {
    pub status_verified_date: Option<String>,
    pub overall_status: Option<String>,
    pub start_date_struct: Option<DateStruct>,
    pub primary_completion_date_struct: Option<DateStruct>,
    pub completion_date_struct: Option<DateStruct>,
    pub study_first_submit_date: Option<String>,
    pub study_first_post_date_struct: Option<DateStruct>,
    pub last_update_submit_date: Option<String>,
    pub last_update_post_date_struct: Option<DateStruct>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DateStruct {
    /// `2013-07` or `2013-07-15`.
    pub date: Option<String>,
    /// `ACTUAL` or `ESTIMATED`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SponsorCollaboratorsModule {
    pub lead_sponsor: Option<Organisation>,
    pub collaborators: Vec<Organisation>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Organisation {
    pub name: Option<String>,
    pub class: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DescriptionModule {
    pub brief_summary: Option<String>,
    pub detailed_description: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ConditionsModule {
    pub conditions: Vec<String>,
    pub keywords: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DesignModule {
    pub study_type: Option<String>,
    pub phases: Vec<String>,
    pub design_info: Option<DesignInfo>,
    pub enrollment_info: Option<EnrollmentInfo>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DesignInfo {
    pub allocation: Option<String>,
    pub intervention_model: Option<String>,
    pub primary_purpose: Option<String>,
    pub masking_info: Option<MaskingInfo>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MaskingInfo {
    pub masking: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EnrollmentInfo {
    pub count: Option<u64>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ArmsInterventionsModule {
    pub arm_groups: Vec<ArmGroup>,
    pub interventions: Vec<Intervention>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ArmGroup {
    pub label: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub description: Option<String>,
    /// `"Biological: Allo-hMSCs"`: the intervention's type and name.
    pub intervention_names: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Intervention {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub arm_group_labels: Vec<String>,
    pub other_names: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct OutcomesModule {
    pub primary_outcomes: Vec<OutcomeMeasure>,
    pub secondary_outcomes: Vec<OutcomeMeasure>,
    pub other_outcomes: Vec<OutcomeMeasure>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct OutcomeMeasure {
    pub measure: Option<String>,
    pub description: Option<String>,
    pub time_frame: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EligibilityModule {
    pub eligibility_criteria: Option<String>,
    pub healthy_volunteers: Option<bool>,
    pub sex: Option<String>,
    pub minimum_age: Option<String>,
    pub maximum_age: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ContactsLocationsModule {
    pub overall_officials: Vec<Official>,
    pub locations: Vec<Location>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Official {
    pub name: Option<String>,
    pub affiliation: Option<String>,
    pub role: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Location {
    pub facility: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ResultsSection {
    pub outcome_measures_module: Option<OutcomeMeasuresModule>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct OutcomeMeasuresModule {
    pub outcome_measures: Vec<ResultMeasure>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ResultMeasure {
    /// `PRIMARY`, `SECONDARY`, `OTHER_PRE_SPECIFIED`, `POST_HOC`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub population_description: Option<String>,
    /// `POSTED` or `NOT_POSTED`.
    pub reporting_status: Option<String>,
    pub anticipated_posting_date: Option<String>,
    /// `MEAN`, `MEDIAN`, `NUMBER`, `COUNT_OF_PARTICIPANTS`, `GEOMETRIC_MEAN`, ...
    pub param_type: Option<String>,
    /// `STANDARD_DEVIATION`, `STANDARD_ERROR`, `INTER_QUARTILE_RANGE`, `FULL_RANGE`,
    /// `CONFIDENCE_95`, ...
    pub dispersion_type: Option<String>,
    pub unit_of_measure: Option<String>,
    pub time_frame: Option<String>,
    pub groups: Vec<ResultGroup>,
    pub denoms: Vec<Denom>,
    pub classes: Vec<MeasureClass>,
    pub analyses: Vec<Analysis>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ResultGroup {
    pub id: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Denom {
    /// `Participants`, or the units counted (`eyes`, `lesions`).
    pub units: Option<String>,
    pub counts: Vec<DenomCount>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DenomCount {
    pub group_id: Option<String>,
    pub value: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MeasureClass {
    pub title: Option<String>,
    /// The class's own denominators, when they differ from the measure's.
    pub denoms: Vec<Denom>,
    pub categories: Vec<MeasureCategory>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MeasureCategory {
    pub title: Option<String>,
    pub measurements: Vec<Measurement>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Measurement {
    pub group_id: Option<String>,
    pub value: Option<String>,
    pub spread: Option<String>,
    pub lower_limit: Option<String>,
    pub upper_limit: Option<String>,
    pub comment: Option<String>,
}

/// A statistical analysis comparing groups; read only to say it is not imported.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Analysis {
    pub group_ids: Vec<String>,
    pub p_value: Option<String>,
    pub statistical_method: Option<String>,
    pub param_type: Option<String>,
    pub param_value: Option<String>,
    pub ci_pct_value: Option<String>,
}
