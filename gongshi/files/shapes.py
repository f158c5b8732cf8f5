"""The shape of every data file's model (files/schema.py) as plain data, for files.quick.

Made by scripts/make_shapes.py from the models: do not edit; run the script after changing a
model (tests/test_quick.py fails while this is out of date).
"""

import datetime

MODELS: dict[str, dict] = {
    'AnnouncementFile': {
        'config': {'allow_inf_nan': False, 'extra': 'forbid', 'frozen': True, 'strict': True},
        'root': False,
        'validators': (),
        'fields': (
            ('sample', ('bool',), ('value', False)),
            ('short_title', ('str', {'min_length': 1}), 'required'),
            ('issuer', ('str', {'min_length': 1}), 'required'),
            ('department', ('str', {'min_length': 1}), 'required'),
            ('contacts', ('model', 'ContactsEntry'), 'required'),
            ('gongshi', ('optional', ('model', 'PeriodEntry')), ('value', None)),
            ('group_by_unit', ('bool',), ('value', True)),
        ),
    },
    'AttachmentEntry': {
        'config': {'allow_inf_nan': False, 'extra': 'forbid', 'frozen': True, 'strict': True},
        'root': False,
        'validators': (),
        'fields': (
            ('title', ('str', {'min_length': 1}), 'required'),
            ('table', ('literal', ('quota_table',)), 'required'),
        ),
    },
    'CadreRule': {
        'config': {'allow_inf_nan': False, 'extra': 'forbid', 'frozen': True, 'strict': True},
        'root': False,
        'validators': (),
        'fields': (
            ('categories', ('list', ('str', {}), {'min_length': 1}), 'required'),
            ('maximum_percent', ('float', {'ge': 0, 'le': 100}), 'required'),
            ('capped', ('literal', ('基层工会干部', '社会化工会工作者', '工会领导机关县级及以下干部', '工会领导机关县级以上干部')), 'required'),
            ('ineligible', ('literal', ('基层工会干部', '社会化工会工作者', '工会领导机关县级及以下干部', '工会领导机关县级以上干部')), 'required'),
        ),
    },
    'CategoriesFile': {
        'config': {'allow_inf_nan': False, 'extra': 'forbid', 'frozen': True, 'strict': True},
        'root': False,
        'validators': (),
        'fields': (
            ('categories', ('list', ('model', 'CategoryEntry'), {'min_length': 1}), 'required'),
        ),
    },
    'CategoryEntry': {
        'config': {'allow_inf_nan': False, 'extra': 'forbid', 'frozen': True, 'strict': True},
        'root': False,
        'validators': (),
        'fields': (
            ('id', ('str', {'pattern': '^[a-z][a-z0-9_]*$'}), 'required'),
            ('name', ('str', {'min_length': 1}), 'required'),
            ('table_label', ('str', {'min_length': 1}), 'required'),
            ('measure', ('literal', ('个', '名')), 'required'),
            ('subject', ('literal', ('organisation', 'person')), 'required'),
            ('action', ('literal', ('表彰', '命名')), 'required'),
            ('total', ('int', {'ge': 0}), 'required'),
            ('confers', ('optional', ('str', {})), ('value', None)),
            ('order', ('optional', ('enum', 'ListOrder', False)), ('value', None)),
        ),
    },
    'ChangeEntry': {
        'config': {'allow_inf_nan': False, 'extra': 'forbid', 'frozen': True, 'strict': True},
        'root': False,
        'validators': (),
        'fields': (
            ('date', ('date', {'ge': datetime.date(2000, 1, 1), 'le': datetime.date(2099, 12, 31)}), 'required'),
            ('action', ('literal', ('撤销', '更正')), 'required'),
            ('category', ('str', {'min_length': 1}), 'required'),
            ('unit', ('str', {'min_length': 1}), 'required'),
            ('name', ('str', {'min_length': 1}), 'required'),
            ('to', ('optional', ('model', 'ChangeTarget')), ('value', None)),
            ('reason', ('literal', ('经核查不符合条件', '推荐单位撤回推荐', '本人申请不再参评', '公示信息有误，予以更正', '其他')), 'required'),
            ('note', ('optional', ('str', {'min_length': 1})), ('value', None)),
        ),
    },
    'ChangeTarget': {
        'config': {'allow_inf_nan': False, 'extra': 'forbid', 'frozen': True, 'strict': True},
        'root': False,
        'validators': (),
        'fields': (
            ('name', ('optional', ('str', {'min_length': 1})), ('value', None)),
            ('unit', ('optional', ('str', {'min_length': 1})), ('value', None)),
            ('category', ('optional', ('str', {'min_length': 1})), ('value', None)),
            ('title', ('optional', ('str', {'min_length': 1})), ('value', None)),
            ('gender', ('optional', ('literal', ('男', '女'))), ('value', None)),
            ('ethnicity', ('optional', ('str', {'min_length': 1})), ('value', None)),
        ),
    },
    'ChangesFile': {
        'config': {'allow_inf_nan': False, 'extra': 'forbid', 'frozen': True, 'strict': True},
        'root': False,
        'validators': (),
        'fields': (
            ('sample', ('bool',), ('value', False)),
            ('changes', ('list', ('model', 'ChangeEntry'), {}), ('factory', 'list')),
        ),
    },
    'ContactsEntry': {
        'config': {'allow_inf_nan': False, 'extra': 'forbid', 'frozen': True, 'strict': True},
        'root': False,
        'validators': (),
        'fields': (
            ('people', ('list', ('str', {}), {'min_length': 1}), 'required'),
            ('phone', ('str', {'pattern': '^0\\d{2,3}-\\d{7,8}$'}), 'required'),
            ('email', ('str', {'pattern': '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$'}), 'required'),
            ('address', ('optional', ('str', {'min_length': 1})), ('value', None)),
            ('postcode', ('optional', ('str', {'pattern': '^\\d{6}$'})), ('value', None)),
        ),
    },
    'DecisionFront': {
        'config': {'allow_inf_nan': False, 'extra': 'forbid', 'frozen': True, 'strict': True},
        'root': False,
        'validators': (),
        'fields': (
            ('issuer', ('str', {'min_length': 1}), 'required'),
            ('number', ('optional', ('str', {'pattern': '^\\S+〔\\d{4}〕\\d+号$'})), ('value', None)),
            ('title', ('str', {'min_length': 1}), 'required'),
            ('addressees', ('optional', ('str', {'min_length': 1})), ('value', None)),
            ('signature', ('str', {'min_length': 1}), 'required'),
            ('date', ('date', {'ge': datetime.date(2000, 1, 1), 'le': datetime.date(2099, 12, 31)}), 'required'),
            ('list_title', ('str', {'min_length': 1}), ('value', '表彰（命名）名单')),
        ),
    },
    'GongshiFront': {
        'config': {'allow_inf_nan': False, 'extra': 'forbid', 'frozen': True, 'strict': True},
        'root': False,
        'validators': (),
        'fields': (
            ('title', ('str', {'min_length': 1}), 'required'),
            ('date', ('date', {'ge': datetime.date(2000, 1, 1), 'le': datetime.date(2099, 12, 31)}), 'required'),
            ('objection', ('str', {'min_length': 1}), 'required'),
        ),
    },
    'HistoryEntry': {
        'config': {'allow_inf_nan': False, 'extra': 'forbid', 'frozen': True, 'strict': True},
        'root': False,
        'validators': (),
        'fields': (
            ('name', ('str', {'min_length': 1}), 'required'),
            ('category', ('str', {'min_length': 1}), 'required'),
            ('year', ('int', {'ge': 1949, 'le': 2100}), 'required'),
            ('title', ('optional', ('str', {})), ('value', None)),
        ),
    },
    'HistoryFile': {
        'config': {'allow_inf_nan': False, 'extra': 'forbid', 'frozen': True, 'strict': True},
        'root': False,
        'validators': (),
        'fields': (
            ('sample', ('bool',), ('value', False)),
            ('honours', ('list', ('model', 'HistoryEntry'), {}), ('factory', 'list')),
        ),
    },
    'HolidayYearEntry': {
        'config': {'allow_inf_nan': False, 'extra': 'forbid', 'frozen': True, 'strict': True},
        'root': False,
        'validators': ('_a_list', '_in_its_year', '_notice', '_notice_number', '_some_holidays'),
        'fields': (
            ('notice', ('str', {}), 'required'),
            ('notice_number', ('str', {}), 'required'),
            ('holidays', ('list', ('validated', ('any',), ('after', '_day_span')), {}), 'required'),
            ('workdays', ('list', ('validated', ('any',), ('after', '_day_span')), {}), 'required'),
        ),
    },
    'HolidaysFile': {
        'config': {},
        'root': True,
        'validators': ('_years',),
        'fields': (
            ('root', ('dict', ('validated', ('int', {}), ('before', '_year_key')), ('model', 'HolidayYearEntry'), {}), 'required'),
        ),
    },
    'ImportMapFile': {
        'config': {'allow_inf_nan': False, 'extra': 'forbid', 'frozen': True, 'strict': True},
        'root': False,
        'validators': (),
        'fields': (
            ('columns', ('dict', ('str', {}), ('literal', ('name', 'unit', 'title', 'workplace', 'position', 'gender', 'ethnicity', 'category', 'non_public', 'cadre_level', 'membership_rate', 'ballot_approval', 'satisfaction', 'prior_honours', 'applicant', 'mega_group', 'group_secondary_share', 'skip', '忽略')), {}), ('factory', 'dict')),
            ('sheets', ('dict', ('str', {}), ('str', {}), {}), ('factory', 'dict')),
            ('units', ('dict', ('str', {}), ('str', {}), {}), ('factory', 'dict')),
        ),
    },
    'NoticeFront': {
        'config': {'allow_inf_nan': False, 'extra': 'forbid', 'frozen': True, 'strict': True},
        'root': False,
        'validators': (),
        'fields': (
            ('issuer', ('str', {'min_length': 1}), 'required'),
            ('title', ('str', {'min_length': 1}), 'required'),
            ('addressees', ('str', {'min_length': 1}), 'required'),
            ('signature', ('str', {'min_length': 1}), 'required'),
            ('date', ('date', {'ge': datetime.date(2000, 1, 1), 'le': datetime.date(2099, 12, 31)}), 'required'),
            ('attachments', ('list', ('model', 'AttachmentEntry'), {}), ('factory', 'list')),
        ),
    },
    'OnePerApplicantRule': {
        'config': {'allow_inf_nan': False, 'extra': 'forbid', 'frozen': True, 'strict': True},
        'root': False,
        'validators': (),
        'fields': (
            ('categories', ('list', ('str', {}), {'min_length': 1}), 'required'),
            ('unit_is_applicant', ('list', ('literal', ('县市区', '产业系统', '市直', '其它')), {}), ('factory', 'list')),
        ),
    },
    'PeriodEntry': {
        'config': {'allow_inf_nan': False, 'extra': 'forbid', 'frozen': True, 'strict': True},
        'root': False,
        'validators': (),
        'fields': (
            ('start', ('date', {'ge': datetime.date(2000, 1, 1), 'le': datetime.date(2099, 12, 31)}), 'required'),
            ('end', ('optional', ('date', {'ge': datetime.date(2000, 1, 1), 'le': datetime.date(2099, 12, 31)})), ('value', None)),
            ('length', ('optional', ('int', {'ge': 1, 'le': 60})), ('value', None)),
            ('unit', ('literal', ('工作日', '自然日')), ('value', '工作日')),
            ('end_clock', ('optional', ('str', {'pattern': '^\\d{1,2}时(\\d{1,2}分)?前?$'})), ('value', None)),
            ('noindex_after_end', ('bool',), ('value', False)),
        ),
    },
    'PriorHonourEntry': {
        'config': {'allow_inf_nan': False, 'extra': 'forbid', 'frozen': True, 'strict': True},
        'root': False,
        'validators': (),
        'fields': (
            ('title', ('str', {'min_length': 1}), 'required'),
            ('level', ('literal', ('县级', '市级', '省级', '全国')), 'required'),
            ('year', ('optional', ('int', {'ge': 1949, 'le': 2100})), ('value', None)),
        ),
    },
    'PriorHonourRule': {
        'config': {'allow_inf_nan': False, 'extra': 'forbid', 'frozen': True, 'strict': True},
        'root': False,
        'validators': (),
        'fields': (
            ('categories', ('list', ('str', {}), {'min_length': 1}), 'required'),
            ('minimum_level', ('literal', ('县级', '市级', '省级', '全国')), 'required'),
            ('titles', ('list', ('str', {}), {'min_length': 1}), 'required'),
            ('in_principle', ('bool',), ('value', False)),
        ),
    },
    'RecipientEntry': {
        'config': {'allow_inf_nan': False, 'extra': 'forbid', 'frozen': True, 'strict': True},
        'root': False,
        'validators': (),
        'fields': (
            ('name', ('str', {'min_length': 1}), 'required'),
            ('unit', ('str', {'min_length': 1}), 'required'),
            ('title', ('optional', ('str', {'min_length': 1})), ('value', None)),
            ('gender', ('optional', ('literal', ('男', '女'))), ('value', None)),
            ('ethnicity', ('optional', ('str', {'min_length': 1})), ('value', None)),
            ('non_public', ('optional', ('bool',)), ('value', None)),
            ('cadre_level', ('optional', ('literal', ('基层工会干部', '社会化工会工作者', '工会领导机关县级及以下干部', '工会领导机关县级以上干部'))), ('value', None)),
            ('membership_rate', ('optional', ('float', {'ge': 0, 'le': 100})), ('value', None)),
            ('ballot_approval', ('optional', ('float', {'ge': 0, 'le': 100})), ('value', None)),
            ('satisfaction', ('optional', ('float', {'ge': 0, 'le': 100})), ('value', None)),
            ('prior_honours', ('optional', ('list', ('model', 'PriorHonourEntry'), {})), ('value', None)),
            ('applicant', ('optional', ('str', {'min_length': 1})), ('value', None)),
            ('mega_group', ('optional', ('bool',)), ('value', None)),
            ('group_secondary_share', ('optional', ('float', {'ge': 0, 'le': 100})), ('value', None)),
        ),
    },
    'RecipientsFile': {
        'config': {'allow_inf_nan': False, 'extra': 'forbid', 'frozen': True, 'strict': True},
        'root': False,
        'validators': (),
        'fields': (
            ('category', ('str', {'min_length': 1}), 'required'),
            ('sample', ('bool',), ('value', False)),
            ('recipients', ('list', ('model', 'RecipientEntry'), {}), ('factory', 'list')),
        ),
    },
    'RulesFile': {
        'config': {'allow_inf_nan': False, 'extra': 'forbid', 'frozen': True, 'strict': True},
        'root': False,
        'validators': (),
        'fields': (
            ('non_public_share', ('optional', ('model', 'ShareRule')), ('value', None)),
            ('leadership_cadres', ('optional', ('model', 'CadreRule')), ('value', None)),
            ('membership_rate', ('dict', ('str', {}), ('float', {}), {}), ('factory', 'dict')),
            ('ballot_approval', ('dict', ('str', {}), ('float', {}), {}), ('factory', 'dict')),
            ('satisfaction', ('dict', ('str', {}), ('float', {}), {}), ('factory', 'dict')),
            ('mega_group_secondary_share', ('dict', ('str', {}), ('float', {}), {}), ('factory', 'dict')),
            ('prior_honours', ('list', ('model', 'PriorHonourRule'), {}), ('factory', 'list')),
            ('one_per_applicant', ('optional', ('model', 'OnePerApplicantRule')), ('value', None)),
            ('grassroots_only', ('list', ('str', {}), {}), ('factory', 'list')),
        ),
    },
    'ShareRule': {
        'config': {'allow_inf_nan': False, 'extra': 'forbid', 'frozen': True, 'strict': True},
        'root': False,
        'validators': (),
        'fields': (
            ('categories', ('list', ('str', {}), {'min_length': 1}), 'required'),
            ('percent', ('float', {'ge': 0, 'le': 100}), 'required'),
        ),
    },
    'SharedQuotaEntry': {
        'config': {'allow_inf_nan': False, 'extra': 'forbid', 'frozen': True, 'strict': True},
        'root': False,
        'validators': (),
        'fields': (
            ('category', ('str', {'min_length': 1}), 'required'),
            ('quota', ('int', {'ge': 0}), 'required'),
            ('units', ('list', ('str', {}), {'min_length': 2}), 'required'),
        ),
    },
    'SiteFile': {
        'config': {'allow_inf_nan': False, 'extra': 'forbid', 'frozen': True, 'strict': True},
        'root': False,
        'validators': ('_base_url_form',),
        'fields': (
            ('name', ('str', {'min_length': 1}), 'required'),
            ('owner', ('str', {'min_length': 1}), 'required'),
            ('base_url', ('str', {}), ('value', '/')),
            ('announcements', ('list', ('str', {'pattern': '^[a-z0-9][a-z0-9-]*$'}), {'min_length': 1}), 'required'),
        ),
    },
    'StrokeCorrectionEntry': {
        'config': {'allow_inf_nan': False, 'extra': 'forbid', 'frozen': True, 'strict': True},
        'root': False,
        'validators': ('_digits', '_one_character', '_written'),
        'fields': (
            ('字', ('str', {}), 'required'),
            ('笔顺', ('str', {}), 'required'),
            ('说明', ('str', {}), 'required'),
        ),
    },
    'StrokeCorrectionsFile': {
        'config': {},
        'root': True,
        'validators': (),
        'fields': (
            ('root', ('list', ('model', 'StrokeCorrectionEntry'), {}), 'required'),
        ),
    },
    'UnitEntry': {
        'config': {'allow_inf_nan': False, 'extra': 'forbid', 'frozen': True, 'strict': True},
        'root': False,
        'validators': (),
        'fields': (
            ('id', ('str', {'pattern': '^[a-z][a-z0-9-]*$'}), 'required'),
            ('name', ('str', {'min_length': 1}), 'required'),
            ('kind', ('literal', ('县市区', '产业系统', '市直', '其它')), 'required'),
            ('quotas', ('dict', ('str', {}), ('int', {'ge': 0}), {}), ('factory', 'dict')),
        ),
    },
    'UnitsFile': {
        'config': {'allow_inf_nan': False, 'extra': 'forbid', 'frozen': True, 'strict': True},
        'root': False,
        'validators': (),
        'fields': (
            ('units', ('list', ('model', 'UnitEntry'), {'min_length': 1}), 'required'),
            ('shared_quotas', ('list', ('model', 'SharedQuotaEntry'), {}), ('factory', 'list')),
        ),
    },
}
